package org.sparkcnn.pipeline.shards;

import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one shard: a DL4J {@link DataSet} file whose features are uint8 {@code [n, c, h, w]} and whose
 * labels are one-hot float {@code [n, classes]}; published atomically, with its SHA-256. The bytes are exactly
 * {@code DataSet.save}'s (see {@link DataSetCodec}), so DL4J's own loaders read shards too.
 */
public final class ShardWriter {
    private ShardWriter() {}

    /** Builds the DataSet from channel-major uint8 pixel arrays and their labels. */
    public static DataSet toDataSet(List<byte[]> pixels, int[] labels, int channels, int height, int width, int numClasses) {
        int n = pixels.size();
        int per = channels * height * width;
        ByteBuffer buffer = ByteBuffer.allocateDirect(n * per);
        for (byte[] p : pixels) {
            if (p.length != per) {
                throw new IllegalArgumentException("image has " + p.length + " bytes, expected " + per);
            }
            buffer.put(p);
        }
        buffer.flip();
        DataBuffer data = Nd4j.createBuffer(buffer, DataType.UINT8, n * per);
        INDArray features = Nd4j.create(data, new long[]{n, channels, height, width});
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, n, numClasses);
        for (int i = 0; i < n; i++) {
            oneHot.putScalar(i, labels[i], 1.0);
        }
        return new DataSet(features, oneHot);
    }

    /** Saves the DataSet to {@code uri} (atomically) and returns the SHA-256 and size of the bytes written. */
    public static Written write(Storage storage, String uri, DataSet dataSet) {
        AtomicLong bytes = new AtomicLong();
        String[] digest = new String[1];
        storage.writeAtomically(uri, out -> {
            MessageDigest md = sha256();
            CountingStream counting = new CountingStream(out);
            // The codec writes DataSet.save's bytes (headers in small pieces, data in 1 MiB chunks); buffer the
            // small pieces before the digest and the filesystem see them.
            try (BufferedOutputStream buffered = new BufferedOutputStream(new DigestOutputStream(counting, md), 1 << 20)) {
                DataSetCodec.write(dataSet, buffered);
            }
            bytes.set(counting.count);
            digest[0] = HexFormat.of().formatHex(md.digest());
        });
        return new Written(bytes.get(), digest[0]);
    }

    /** Size and SHA-256 of a written shard. */
    public record Written(long bytes, String sha256) {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws java.io.IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
