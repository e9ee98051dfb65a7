package org.sparkcnn.pipeline.bench;

import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.shards.DataSetCodec;
import org.sparkcnn.pipeline.shards.ShardWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Shard serialisation benchmark (not a test): {@code DataSet.save}/{@code load} against {@link DataSetCodec}, in
 * memory, one thread, for one shard of uint8 {@code [n, 3, size, size]} features and one-hot float labels. Prints
 * one JSON line per operation: median seconds of REPEATS runs after one warm-up, and the runs. Also SHA-256 of the
 * shard bytes, which {@code ShardWriter.write} computes on top of the serialisation.
 * Usage: ShardCodecBench [N=559] [SIZE=200] [CLASSES=101] [REPEATS=3]
 */
public final class ShardCodecBench {
    interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 559;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int classes = args.length > 2 ? Integer.parseInt(args[2]) : 101;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;

        Random rng = new Random(1);
        List<byte[]> pixels = new ArrayList<>(n);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[3 * size * size];
            rng.nextBytes(p);
            pixels.add(p);
            labels[i] = rng.nextInt(classes);
        }
        DataSet ds = ShardWriter.toDataSet(pixels, labels, 3, size, size, classes);
        pixels = null;

        ByteArrayOutputStream saved = new ByteArrayOutputStream(3 * size * size * n + (1 << 20));
        ds.save(saved);
        byte[] bytes = saved.toByteArray();
        ByteArrayOutputStream sink = new ByteArrayOutputStream(bytes.length + (1 << 20));
        DataSetCodec.write(ds, sink);
        if (!Arrays.equals(bytes, sink.toByteArray())) {
            throw new IllegalStateException("codec bytes differ from DataSet.save bytes");
        }
        System.out.printf(Locale.ROOT, "{\"shard\": \"[%d,3,%d,%d] uint8 + [%d,%d] float\", \"bytes\": %d}%n", n, size, size, n, classes, bytes.length);

        time("write", "DataSet.save", repeats, () -> {
            sink.reset();
            ds.save(sink);
        });
        time("write", "DataSetCodec.write", repeats, () -> {
            sink.reset();
            DataSetCodec.write(ds, sink);
        });
        time("read", "DataSet.load", repeats, () -> {
            DataSet back = new DataSet();
            back.load(new ByteArrayInputStream(bytes));
        });
        time("read", "DataSetCodec.read", repeats, () -> DataSetCodec.read(new ByteArrayInputStream(bytes)));
        time("digest", "SHA-256 of the shard", repeats, () -> MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static void time(String what, String who, int repeats, Op op) throws Exception {
        op.run();   // warm-up
        double[] s = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            op.run();
            s[r] = (System.nanoTime() - t0) / 1e9;
        }
        double[] sorted = s.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "{\"op\": \"%s\", \"who\": \"%s\", \"median_s\": %.4f, \"runs_s\": %s}%n",
                what, who, sorted[repeats / 2], Arrays.toString(Arrays.stream(s).map(x -> Math.round(x * 1e4) / 1e4).toArray()));
    }

    private ShardCodecBench() {}
}
