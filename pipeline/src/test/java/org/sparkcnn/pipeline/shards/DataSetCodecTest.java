package org.sparkcnn.pipeline.shards;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DataSetCodecTest {

    /** {n, c, h, w, classes}: n=1, several shapes, a feature buffer and a label buffer over the 1 MiB chunk. */
    private static final int[][] SIZES = {
            {1, 3, 1, 1, 1}, {1, 3, 5, 7, 4}, {2, 1, 1, 1, 2}, {7, 3, 4, 5, 3}, {32, 3, 16, 16, 101},
            {3, 3, 300, 400, 10}, {3000, 1, 1, 1, 101}};

    @Test
    void writesExactlyWhatDataSetSaveWrites() throws IOException {
        Random rng = new Random(42);
        for (int[] s : SIZES) {
            DataSet ds = shard(rng, s[0], s[1], s[2], s[3], s[4]);
            assertArrayEquals(nd4jSave(ds), codecWrite(ds), "shape " + java.util.Arrays.toString(s));
        }
    }

    @Test
    void writesViewsAndOddFloatsExactlyAsDataSetSaveDoes() throws IOException {
        Random rng = new Random(7);
        DataSet big = shard(rng, 10, 3, 4, 5, 6);
        // Views: ND4J dup()s them before writing; so must we.
        DataSet views = new DataSet(big.getFeatures().get(NDArrayIndex.interval(3, 8)), big.getLabels().get(NDArrayIndex.interval(3, 8)));
        assertArrayEquals(nd4jSave(views), codecWrite(views));
        // Labels that are not one-hot, with NaNs (one non-canonical), infinities, -0 and a subnormal: same bits.
        int[] bits = {Float.floatToRawIntBits(Float.NaN), 0x7fc00001, 0xff800001, Float.floatToRawIntBits(Float.POSITIVE_INFINITY),
                Float.floatToRawIntBits(Float.NEGATIVE_INFINITY), 0x80000000, 1, Float.floatToRawIntBits(0.3f)};
        ByteBuffer raw = ByteBuffer.allocateDirect(bits.length * 4).order(ByteOrder.nativeOrder());
        for (int b : bits) {
            raw.putInt(b);
        }
        raw.flip();
        INDArray odd = Nd4j.create(Nd4j.createBuffer(raw, DataType.FLOAT, bits.length), new long[]{2, 4});
        DataSet oddLabels = new DataSet(shard(rng, 2, 1, 2, 2, 4).getFeatures(), odd);
        byte[] saved = nd4jSave(oddLabels);
        assertArrayEquals(saved, codecWrite(oddLabels));
        assertSameDataSet(load(saved), DataSetCodec.read(new ByteArrayInputStream(saved)));
    }

    @Test
    void eachReadsWhatTheOtherWrote() throws IOException {
        Random rng = new Random(3);
        for (int[] s : SIZES) {
            int n = s[0], c = s[1], h = s[2], w = s[3], classes = s[4];
            List<byte[]> pixels = pixels(rng, n, c * h * w);
            int[] labels = labels(rng, n, classes);
            DataSet ds = ShardWriter.toDataSet(pixels, labels, c, h, w, classes);

            DataSet byNd4j = load(codecWrite(ds));
            DataSet byCodec = DataSetCodec.read(new ByteArrayInputStream(nd4jSave(ds)));
            DataSet byCodecSmallBuffer = DataSetCodec.read(new BufferedInputStream(new ByteArrayInputStream(nd4jSave(ds)), 16));
            for (DataSet back : List.of(byNd4j, byCodec, byCodecSmallBuffer)) {
                assertEquals(DataType.UINT8, back.getFeatures().dataType());
                assertArrayEquals(new long[]{n, c, h, w}, back.getFeatures().shape());
                assertEquals(DataType.FLOAT, back.getLabels().dataType());
                assertArrayEquals(new long[]{n, classes}, back.getLabels().shape());
                assertSameDataSet(ds, back);
                if (n * c * h * w < 100_000) {
                    int[] values = back.getFeatures().reshape(-1).toIntVector();
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < c * h * w; j++) {
                            assertEquals(pixels.get(i)[j] & 0xff, values[i * c * h * w + j]);
                        }
                        assertEquals(labels[i], back.getLabels().getRow(i).argMax().getInt(0));
                    }
                }
            }
            // What ND4J reads and what we read are the same arrays, shape info (strides, order, option bits) included.
            DataSet loaded = load(nd4jSave(ds));
            assertSameDataSet(loaded, byCodec);
            assertArrayEquals(loaded.getFeatures().shapeInfoDataBuffer().asLong(), byCodec.getFeatures().shapeInfoDataBuffer().asLong());
            assertArrayEquals(loaded.getLabels().shapeInfoDataBuffer().asLong(), byCodec.getLabels().shapeInfoDataBuffer().asLong());
        }
    }

    @Test
    void otherDataSetsFallBackToNd4jAndStillRoundTrip() throws IOException {
        Random rng = new Random(5);
        DataSet base = shard(rng, 6, 3, 4, 4, 3);
        DataSet floatFeatures = new DataSet(base.getFeatures().castTo(DataType.FLOAT).muli(1.0 / 255), base.getLabels());
        DataSet doubleLabels = new DataSet(base.getFeatures(), base.getLabels().castTo(DataType.DOUBLE));
        DataSet masked = new DataSet(base.getFeatures(), base.getLabels(), null, Nd4j.ones(DataType.FLOAT, 6, 1));
        DataSet named = new DataSet(base.getFeatures(), base.getLabels());
        named.setLabelNames(List.of("a", "b", "c"));
        DataSet rank2Features = new DataSet(base.getFeatures().reshape(6, 48), base.getLabels());
        for (DataSet ds : List.of(floatFeatures, doubleLabels, masked, named, rank2Features)) {
            byte[] saved = nd4jSave(ds);
            byte[] written = codecWrite(ds);
            assertArrayEquals(saved, written);
            DataSet back = DataSetCodec.read(new ByteArrayInputStream(written));
            assertSameDataSet(ds, back);
            assertSameDataSet(load(saved), back);
            assertEquals(ds.getLabelNamesList(), back.getLabelNamesList());
        }
        assertEquals(DataType.FLOAT, DataSetCodec.read(new ByteArrayInputStream(codecWrite(floatFeatures))).getFeatures().dataType());
    }

    @Test
    void leavesStreamsOpenAndReportsWriteFailures() throws IOException {
        Random rng = new Random(9);
        DataSet ours = shard(rng, 4, 3, 8, 8, 2);
        DataSet other = new DataSet(ours.getFeatures().castTo(DataType.FLOAT), ours.getLabels());
        for (DataSet ds : List.of(ours, other)) {
            boolean[] closed = {false};
            ByteArrayOutputStream bytes = new ByteArrayOutputStream() {
                @Override
                public void close() {
                    closed[0] = true;
                }
            };
            DataSetCodec.write(ds, bytes);
            assertFalse(closed[0], "write closed the stream");
            InputStream in = new ByteArrayInputStream(bytes.toByteArray()) {
                @Override
                public void close() {
                    closed[0] = true;
                }
            };
            DataSetCodec.read(in);
            assertFalse(closed[0], "read closed the stream");

            // DataSet.save logs and swallows the stream's IOException; the codec throws it.
            OutputStream failing = new OutputStream() {
                int left = 300;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[]{(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    left -= len;
                    if (left < 0) {
                        throw new IOException("disk full");
                    }
                }
            };
            assertThrows(IOException.class, () -> DataSetCodec.write(ds, failing));
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private static DataSet shard(Random rng, int n, int c, int h, int w, int classes) {
        return ShardWriter.toDataSet(pixels(rng, n, c * h * w), labels(rng, n, classes), c, h, w, classes);
    }

    private static List<byte[]> pixels(Random rng, int n, int per) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[per];
            rng.nextBytes(p);
            out.add(p);
        }
        return out;
    }

    private static int[] labels(Random rng, int n, int classes) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = rng.nextInt(classes);
        }
        return out;
    }

    private static byte[] nd4jSave(DataSet ds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ds.save(out);
        return out.toByteArray();
    }

    private static byte[] codecWrite(DataSet ds) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataSetCodec.write(ds, out);
        return out.toByteArray();
    }

    private static DataSet load(byte[] bytes) {
        DataSet ds = new DataSet();
        ds.load(new ByteArrayInputStream(bytes));
        return ds;
    }

    private static void assertSameDataSet(DataSet expected, DataSet actual) throws IOException {
        assertSameArray(expected.getFeatures(), actual.getFeatures());
        assertSameArray(expected.getLabels(), actual.getLabels());
        assertSameArray(expected.getFeaturesMaskArray(), actual.getFeaturesMaskArray());
        assertSameArray(expected.getLabelsMaskArray(), actual.getLabelsMaskArray());
    }

    /** Same dtype, shape and element bits, compared through ND4J's own (element by element) array writer. */
    private static void assertSameArray(INDArray expected, INDArray actual) throws IOException {
        if (expected == null) {
            assertNull(actual);
            return;
        }
        assertEquals(expected.dataType(), actual.dataType());
        assertArrayEquals(expected.shape(), actual.shape());
        assertArrayEquals(nd4jWrite(expected.dup('c')), nd4jWrite(actual.dup('c')));
    }

    private static byte[] nd4jWrite(INDArray a) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream dos = new DataOutputStream(out)) {
            Nd4j.write(a, dos);
        }
        return out.toByteArray();
    }
}
