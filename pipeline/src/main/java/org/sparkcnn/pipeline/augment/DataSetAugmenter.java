package org.sparkcnn.pipeline.augment;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;

/**
 * Augments DL4J minibatches on the executors: features {@code [n, c, h, w]} holding RAW 0..255 values (float, or
 * the shards' uint8), one stable id per example. Training batches get each example's own random transform
 * ({@link ParamSampler}, {@link Augmentation}) then rescale and standardisation; validation and test batches get
 * {@link #rescaleOnly} and are never augmented. Holds only immutable configuration: safe to ship in a closure.
 */
public final class DataSetAugmenter implements Serializable {
    private final AugmentConfig config;
    private final FeatureStats stats;

    /** Without dataset statistics: the config must not use featurewise standardisation. */
    public DataSetAugmenter(AugmentConfig config) {
        this(config, null);
    }

    /**
     * @param stats the dataset's per-channel mean and std (rescaled units); required when the config uses
     *              featurewise standardisation, else may be null
     * @throws IllegalArgumentException when featurewise standardisation is on and {@code stats} is null
     */
    public DataSetAugmenter(AugmentConfig config, FeatureStats stats) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null");
        }
        if (config.needsFeatureStats() && stats == null) {
            throw new IllegalArgumentException("augment.featurewise-center / featurewise-std-normalization need "
                    + "FeatureStats (the training split's per-channel mean and std)");
        }
        this.config = config;
        this.stats = stats;
    }

    public AugmentConfig config() {
        return config;
    }

    /**
     * A new DataSet whose features are the augmented, rescaled, standardised examples
     * ({@code [n, c, outputHeight, outputWidth]}, float) and whose labels are the input's labels array itself.
     *
     * @param exampleIds one stable id per example, in the batch's order (see {@link ExampleIds})
     * @throws IllegalArgumentException on a features rank other than 4, an id count other than n, or a crop
     *                                  larger than the images
     */
    public DataSet augment(DataSet raw, long[] exampleIds, long runSeed, int epoch) {
        int n = (int) shapeOf(raw.getFeatures())[0];
        if (exampleIds == null || exampleIds.length != n) {
            throw new IllegalArgumentException("expected " + n + " example ids, got "
                    + (exampleIds == null ? "none" : String.valueOf(exampleIds.length)));
        }
        if (config.isIdentity()) {
            // nothing random is configured: Keras' standardize alone, the same pixels bit for bit
            return rescaleOnly(raw);
        }
        return perExample(raw, (i, one, c, h, w) -> Augmentation.apply(one, c, h, w,
                ParamSampler.draw(config, h, w, runSeed, epoch, exampleIds[i]), config, stats));
    }

    /**
     * Validation and test input: no random transform, only rescale and standardisation (and a centre crop to the
     * training size when a random crop is set, so shapes agree).
     */
    public DataSet rescaleOnly(DataSet raw) {
        if (!config.hasRandomCrop()) {
            // in place in the batch's own float copy: no per-example arrays
            long[] shape = shapeOf(raw.getFeatures());
            int n = (int) shape[0];
            int c = (int) shape[1];
            int plane = (int) (shape[2] * shape[3]);
            float[] x = floats(raw.getFeatures());
            for (int i = 0; i < n; i++) {
                Standardizer.apply(x, i * c * plane, c, plane, config, stats);
            }
            return new DataSet(features(x, n, c, (int) shape[2], (int) shape[3]), raw.getLabels());
        }
        return perExample(raw, (i, one, c, h, w) -> Augmentation.standardize(one, c, h, w, config, stats));
    }

    /** What happens to example {@code i} (its channel-major pixels in {@code one}); returns the output pixels. */
    @FunctionalInterface
    private interface ExampleOp {
        float[] apply(int i, float[] one, int c, int h, int w);
    }

    /** Runs {@code op} over every example of the batch and packs the outputs into a new float batch. */
    private DataSet perExample(DataSet raw, ExampleOp op) {
        INDArray features = raw.getFeatures();
        long[] shape = shapeOf(features);
        int n = (int) shape[0];
        int c = (int) shape[1];
        int h = (int) shape[2];
        int w = (int) shape[3];
        float[] in = floats(features);
        int size = c * h * w;
        int oh = config.outputHeight(h);
        int ow = config.outputWidth(w);
        int outSize = c * oh * ow;
        float[] out = new float[n * outSize];
        float[] one = new float[size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(in, i * size, one, 0, size);
            System.arraycopy(op.apply(i, one, c, h, w), 0, out, i * outSize, outSize);
        }
        return new DataSet(features(out, n, c, oh, ow), raw.getLabels());
    }

    private long[] shapeOf(INDArray features) {
        if (features == null || features.rank() != 4) {
            throw new IllegalArgumentException("features must be [n, c, h, w], got "
                    + (features == null ? "none" : java.util.Arrays.toString(features.shape())));
        }
        long[] shape = features.shape();
        if (config.hasRandomCrop() && (config.randomCropHeight() > shape[2] || config.randomCropWidth() > shape[3])) {
            throw new IllegalArgumentException("augment.random-crop " + config.randomCropHeight() + "x"
                    + config.randomCropWidth() + " does not fit " + shape[2] + "x" + shape[3] + " images");
        }
        return shape;
    }

    /** A c-order float INDArray over {@code values} ({@code createBuffer} is a bulk copy, unlike {@code create(float[])}). */
    private static INDArray features(float[] values, int n, int c, int h, int w) {
        return Nd4j.create(Nd4j.createBuffer(values), new long[] {n, c, h, w});
    }

    /**
     * The features as a c-order float array (converted from uint8 or any other type), copied in bulk: ND4J's
     * {@code DataBuffer.asFloat()} reads element by element, for every training shard in every epoch.
     */
    private static float[] floats(INDArray features) {
        INDArray f = features.dataType() == DataType.FLOAT ? features : features.castTo(DataType.FLOAT);
        if (f.isView() || f.ordering() != 'c' || f.data().offset() != 0 || f.data().length() != f.length()) {
            f = f.dup('c');
        }
        Nd4j.getAffinityManager().ensureLocation(f, org.nd4j.linalg.api.concurrency.AffinityManager.Location.HOST);
        float[] out = new float[Math.toIntExact(f.length())];
        f.data().asNio().duplicate().order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer().get(out);
        return out;
    }
}
