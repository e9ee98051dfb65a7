package org.sparkcnn.pipeline.bench;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.augment.AugmentConfig;
import org.sparkcnn.pipeline.augment.AugmentParams;
import org.sparkcnn.pipeline.augment.Augmentation;
import org.sparkcnn.pipeline.augment.DataSetAugmenter;
import org.sparkcnn.pipeline.augment.FillMode;
import org.sparkcnn.pipeline.augment.ParamSampler;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * Augmentation throughput on ONE thread, 200x200x3, the Keras tutorial settings ({@code rescale=1./255,
 * shear_range=0.2, zoom_range=0.2, horizontal_flip=True, width_shift_range=0.1, height_shift_range=0.1}).
 * A benchmark, not a test: {@code bench/augment.sh} runs it next to {@code bench/reference_augment.py}.
 * Prints one JSON line. Options: {@code --images N} (default 500), {@code --fill-mode nearest|constant},
 * {@code --path example|batch} (example: draw + {@link Augmentation#apply} per image from a raw float array;
 * batch: {@link DataSetAugmenter#augment} on [32, 3, 200, 200] DL4J minibatches, conversions included).
 */
public final class AugmentBench {
    private static final int C = 3;
    private static final int H = 200;
    private static final int W = 200;
    private static final int BATCH = 32;
    private static final int RUNS = 3;

    private AugmentBench() {}

    public static void main(String[] args) {
        int images = 500;
        FillMode mode = FillMode.NEAREST;
        String path = "example";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--images" -> images = Integer.parseInt(args[++i]);
                case "--fill-mode" -> mode = FillMode.valueOf(args[++i].toUpperCase(Locale.ROOT));
                case "--path" -> path = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        AugmentConfig cfg = AugmentConfig.builder().rescale(1.0 / 255.0).shearRange(0.2).zoomRange(0.2)
                .horizontalFlip(true).widthShiftRange(0.1).heightShiftRange(0.1).fillMode(mode).build();
        float[][] raw = new float[images][C * H * W];
        Random rng = new Random(42);
        for (float[] x : raw) {
            for (int j = 0; j < x.length; j++) {
                x[j] = rng.nextInt(256);
            }
        }
        Pass pass = path.equals("batch") ? batchPass(cfg, raw) : examplePass(cfg, raw);
        for (int epoch = 0; epoch < 3; epoch++) {
            pass.run(-1 - epoch);                          // warm-up: JIT, allocation paths
        }
        double[] rates = new double[RUNS];
        double checksum = 0;
        for (int run = 0; run < RUNS; run++) {
            long t0 = System.nanoTime();
            checksum += pass.run(run);
            rates[run] = images / ((System.nanoTime() - t0) / 1e9);
        }
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = sorted[RUNS / 2];
        System.out.printf(Locale.ROOT, "{\"bench\":\"augment\",\"impl\":\"spark-cnn-pipeline (Java %s, %s path)\","
                        + "\"images\":%d,\"shape\":[%d,%d,%d],\"threads\":1,\"fill_mode\":\"%s\","
                        + "\"settings\":\"rescale=1/255 shear=0.2deg zoom=0.2 hflip width/height shift=0.1\","
                        + "\"runs_images_per_s\":[%.1f,%.1f,%.1f],\"images_per_s\":%.1f,\"ms_per_image\":%.3f,"
                        + "\"checksum\":%.3f}%n",
                System.getProperty("java.version"), path, images, C, H, W, mode.name().toLowerCase(Locale.ROOT),
                rates[0], rates[1], rates[2], median, 1000 / median, checksum);
    }

    /** One timed pass over every image for one epoch; returns a checksum so nothing is optimised away. */
    private interface Pass {
        double run(int epoch);
    }

    private static Pass examplePass(AugmentConfig cfg, float[][] raw) {
        return epoch -> {
            double sum = 0;
            for (int i = 0; i < raw.length; i++) {
                AugmentParams p = ParamSampler.draw(cfg, H, W, 42L, epoch, i);
                float[] out = Augmentation.apply(raw[i], C, H, W, p, cfg);
                sum += out[i % out.length];
            }
            return sum;
        };
    }

    private static Pass batchPass(AugmentConfig cfg, float[][] raw) {
        DataSetAugmenter augmenter = new DataSetAugmenter(cfg);
        int batches = (raw.length + BATCH - 1) / BATCH;
        DataSet[] data = new DataSet[batches];
        long[][] ids = new long[batches][];
        for (int b = 0; b < batches; b++) {
            int n = Math.min(BATCH, raw.length - b * BATCH);
            float[] flat = new float[n * C * H * W];
            ids[b] = new long[n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(raw[b * BATCH + i], 0, flat, i * C * H * W, C * H * W);
                ids[b][i] = b * BATCH + i;
            }
            data[b] = new DataSet(Nd4j.create(flat, new long[] {n, C, H, W}, 'c'), Nd4j.zeros(n, 2));
        }
        return epoch -> {
            double sum = 0;
            for (int b = 0; b < batches; b++) {
                sum += augmenter.augment(data[b], ids[b], 42L, epoch).getFeatures().getDouble(0);
            }
            return sum;
        };
    }
}
