package org.sparkcnn.pipeline.shards;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Reads shards back: raw (uint8, as written) or as float minibatches ready for training. */
public final class ShardReader {
    private ShardReader() {}

    /** The examples reordered by a Fisher-Yates shuffle driven by {@code new Random(seed)}, labels alongside. */
    public static DataSet permute(DataSet ds, long seed) {
        return rows(ds, permutation(ds.numExamples(), seed));
    }

    /** A Fisher-Yates shuffle of {@code 0 .. n-1} drawn from {@code seed} (the order {@link #permute} uses). */
    public static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Random rng = new java.util.Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /**
     * The examples {@code rows} of {@code ds}, in that order (features and labels of any numeric type and rank),
     * copied row by row in bulk (a uint8 shard stays uint8 until the augmenter converts the picked rows).
     */
    public static DataSet rows(DataSet ds, int[] rows) {
        return new DataSet(rows(ds.getFeatures(), rows), rows(ds.getLabels(), rows));
    }

    private static INDArray rows(INDArray array, int[] rows) {
        INDArray c = array.isView() || array.ordering() != 'c' || array.data().offset() != 0
                || array.data().length() != array.length() ? array.dup('c') : array;
        long n = c.size(0);
        int rowBytes = Math.toIntExact(c.length() / n * c.dataType().width());
        long[] shape = c.shape().clone();
        shape[0] = rows.length;
        INDArray out = Nd4j.createUninitialized(c.dataType(), shape, 'c');
        java.nio.ByteBuffer from = c.data().asNio().duplicate();
        java.nio.ByteBuffer to = out.data().asNio().duplicate();
        byte[] row = new byte[rowBytes];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= n) {
                throw new IndexOutOfBoundsException("row " + rows[i] + " of " + n);
            }
            from.position(rows[i] * rowBytes);
            from.get(row);
            to.position(i * rowBytes);
            to.put(row);
        }
        return out;
    }

    /** The shard exactly as written (uint8 features). */
    public static DataSet readRaw(Storage storage, String uri) {
        try (InputStream in = new BufferedInputStream(storage.open(uri), 1 << 20)) {
            return DataSetCodec.read(in, uri);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shard " + uri, e);
        }
    }

    /** Consecutive minibatches of at most {@code batchSize}; the last keeps the remainder. */
    public static List<DataSet> cut(DataSet ds, int batchSize) {
        int n = ds.numExamples();
        if (n <= batchSize) {
            return List.of(ds);
        }
        List<DataSet> out = new ArrayList<>((n + batchSize - 1) / batchSize);
        for (int start = 0; start < n; start += batchSize) {
            int end = Math.min(n, start + batchSize);
            out.add(new DataSet(
                    ds.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end)).dup(),
                    ds.getLabels().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(start, end)).dup()));
        }
        return out;
    }
}
