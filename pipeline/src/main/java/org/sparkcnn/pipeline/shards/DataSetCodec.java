package org.sparkcnn.pipeline.shards;

import org.nd4j.common.primitives.Triple;
import org.nd4j.linalg.api.buffer.BaseDataBuffer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataBuffer.AllocationMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.options.ArrayOptionsHelper;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.exception.ND4JUnknownDataTypeException;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.security.DeserializationGuard;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Writes and reads shards in exactly the format of ND4J's {@link DataSet#save(OutputStream)} /
 * {@link DataSet#load(InputStream)} (1.0.0-M2.1), moving the data buffers in bulk instead of element by element.
 *
 * <p><b>Why.</b> ND4J's {@code BaseDataBuffer.write}/{@code read} go through {@code DataOutputStream.writeByte} /
 * {@code readByte} plus a per-element indexer call (and a boxed {@code Number} per element on read), which made a
 * 67 MB shard cost about 1 s to write and 1.2 s to read on one core. Other DL4J tools ({@code DataSet.load},
 * dl4j-spark's path loaders) must keep reading our shards, so the bytes stay exactly what {@code DataSet.save}
 * writes.
 *
 * <p><b>Format</b> (big-endian, {@link DataOutputStream} conventions; {@code UTF} = 2-byte length + modified UTF-8):
 * <pre>
 * byte   flags          1 features | 2 labels | 4 labels==features | 8 features mask | 16 labels mask
 *                       | 32 example metadata | 64 label names           (our shards: 3)
 * array  features       (Nd4j.write, a view is dup()ed first:)
 *          shape info:  UTF allocation mode ("MIXED_DATA_TYPES"), long length (2*rank+4), UTF "LONG",
 *                       then the shape info longs: rank, shape[rank], stride[rank], extras, ews, order ('c' = 99)
 *          data:        UTF allocation mode, long length, UTF dtype name ("UBYTE" for UINT8),
 *                       then length elements: UBYTE 1 byte each, FLOAT 4 bytes each (Float.floatToIntBits)
 * array  labels         same, dtype "FLOAT"
 * (masks, then Java-serialised metadata / label names, when their flags are set)
 * </pre>
 *
 * <p><b>Scope.</b> Only the case our ingest writes takes the bulk path: features UINT8 rank 4, labels FLOAT rank 2
 * (a different array), no masks, no metadata, no label names. Anything else is delegated to ND4J
 * ({@code DataSet.save}; {@code DataSet.load}, or {@code Nd4j.read} for an individual array), so both methods are
 * correct for any DataSet. Shape info buffers are always written and read by ND4J itself (they are tiny), so the
 * shape, strides, order and option bits are ND4J's own.
 *
 * <p><b>Differences from ND4J</b>, on purpose: neither method closes the stream (ND4J's do), and failures are
 * thrown as {@link IOException} (DataSet.save logs and swallows them; our fallback re-throws the stream's
 * IOException). {@link #read} may read ahead past the end of the DataSet, as {@code DataSet.load} does.
 */
public final class DataSetCodec {
    private static final int CHUNK = 1 << 20;
    /** Covers the flag byte, a shape info buffer (rank &lt;= 32) and a data header, with room to spare. */
    private static final int MARK_LIMIT = 1 << 16;
    private static final int MAX_SHAPE_INFO_LENGTH = 2 * 32 + 4;
    private static final int FLAGS_FEATURES_AND_LABELS = 1 | 2;

    private DataSetCodec() {}

    /** Writes {@code ds} as {@code ds.save(out)} would, byte for byte; flushes {@code out}, does not close it. */
    public static void write(DataSet ds, OutputStream out) throws IOException {
        if (!isBulkCase(ds)) {
            saveWithNd4j(ds, out);
            return;
        }
        DataOutputStream dos = new DataOutputStream(out);
        dos.writeByte(FLAGS_FEATURES_AND_LABELS);
        writeArray(ds.getFeatures(), dos);
        writeArray(ds.getLabels(), dos);
        dos.flush();
    }

    /** Reads one DataSet written by {@code DataSet.save} (or {@link #write}); does not close {@code in}. */
    public static DataSet read(InputStream in) throws IOException {
        return read(in, "a DataSet stream (source not named)");
    }

    /**
     * {@link #read(InputStream)}, naming the file in errors. A DataSet other than our shards' kind goes to
     * {@code DataSet.load}, which Java-deserialises example metadata and label names: through
     * {@link DeserializationGuard}, so a file holding a class off its allow-list is a
     * {@link org.sparkcnn.pipeline.error.BadInputException}.
     */
    public static DataSet read(InputStream in, String source) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, CHUNK);
        DataInputStream dis = new DataInputStream(buffered);
        buffered.mark(MARK_LIMIT);
        if (dis.readByte() != FLAGS_FEATURES_AND_LABELS) {
            buffered.reset();
            DataSet ds = new DataSet();
            // DataSet.load closes the stream it is given; ours stays open.
            return DeserializationGuard.read(source, () -> {
                ds.load(new BufferedInputStream(buffered, CHUNK) {
                    @Override
                    public void close() {}
                });
                return ds;
            });
        }
        INDArray features = readArray(dis, buffered, DataType.UINT8, Long.MAX_VALUE);
        INDArray labels = readArray(dis, buffered, DataType.FLOAT, Long.MAX_VALUE);
        return new DataSet(features, labels);
    }

    /**
     * Reads a shard exactly as this pipeline writes it (uint8 features, float labels, nothing else), allocating at
     * most {@code maxBytes} for its data: anything else (another layout, a length the file cannot hold, metadata that
     * would need Java deserialisation) is an {@link IOException}, before any large allocation. For input whose
     * integrity is not yet known (a shard being verified as it is read).
     */
    public static DataSet readStrict(InputStream in, long maxBytes) throws IOException {
        BufferedInputStream buffered = in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, CHUNK);
        DataInputStream dis = new DataInputStream(buffered);
        if (dis.readByte() != FLAGS_FEATURES_AND_LABELS) {
            throw new IOException("not a shard of this pipeline (features and labels only)");
        }
        INDArray features = readArray(dis, buffered, DataType.UINT8, maxBytes);
        INDArray labels = readArray(dis, buffered, DataType.FLOAT, maxBytes);
        if (features == null || labels == null) {
            throw new IOException("not a shard of this pipeline (its arrays are not uint8 features and float labels "
                    + "within the file's size)");
        }
        return new DataSet(features, labels);
    }

    private static boolean isBulkCase(DataSet ds) {
        INDArray f = ds.getFeatures();
        INDArray l = ds.getLabels();
        return f != null && l != null && f != l
                && f.dataType() == DataType.UINT8 && f.rank() == 4
                && l.dataType() == DataType.FLOAT && l.rank() == 2
                && ds.getFeaturesMaskArray() == null && ds.getLabelsMaskArray() == null
                && (ds.getExampleMetaData() == null || ds.getExampleMetaData().isEmpty())
                && (ds.getLabelNamesList() == null || ds.getLabelNamesList().isEmpty());
    }

    /** {@code Nd4j.write(arr, dos)} with the data buffer's elements written in bulk. */
    private static void writeArray(INDArray arr, DataOutputStream dos) throws IOException {
        INDArray a = arr.isView() ? arr.dup() : arr;
        a.shapeInfoDataBuffer().write(dos);
        DataBuffer data = a.data();
        ByteBuffer src = nativeBytes(data);
        if (src == null) {
            data.write(dos);   // unusual buffer (offset, odd size): ND4J writes it, element by element
            return;
        }
        dos.writeUTF(data.allocationMode().name());
        dos.writeLong(data.length());
        dos.writeUTF(data.dataType().name());
        byte[] chunk = new byte[CHUNK];
        if (data.dataType() == DataType.UINT8) {
            while (src.hasRemaining()) {
                int k = Math.min(chunk.length, src.remaining());
                src.get(chunk, 0, k);
                dos.write(chunk, 0, k);
            }
        } else {
            // DataOutputStream.writeFloat = writeInt(Float.floatToIntBits(v)): big-endian, NaNs canonical.
            FloatBuffer floats = src.asFloatBuffer();
            ByteBuffer be = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN);
            while (floats.hasRemaining()) {
                be.clear();
                while (floats.hasRemaining() && be.hasRemaining()) {
                    be.putInt(Float.floatToIntBits(floats.get()));
                }
                dos.write(chunk, 0, be.position());
            }
        }
    }

    /**
     * {@code Nd4j.read(dis)} with the data buffer's elements read in bulk when it holds {@code expected}; otherwise
     * rewinds to the array's start and lets {@code Nd4j.read} do it.
     */
    private static INDArray readArray(DataInputStream dis, BufferedInputStream buffered, DataType expected,
                                      long maxBytes) throws IOException {
        boolean strict = maxBytes != Long.MAX_VALUE;
        buffered.mark(MARK_LIMIT);
        Triple<AllocationMode, Long, DataType> shapeHeader = BaseDataBuffer.readHeader(dis);
        long shapeLength = shapeHeader.getMiddle();
        if (shapeHeader.getFirst() != AllocationMode.MIXED_DATA_TYPES || shapeHeader.getRight() != DataType.LONG
                || shapeLength < 4 || shapeLength > MAX_SHAPE_INFO_LENGTH) {
            return strict ? null : rewindAndReadWithNd4j(dis, buffered);
        }
        DataBuffer shapeInfo = Nd4j.createBufferDetached(new long[]{shapeLength}, DataType.LONG);
        shapeInfo.read(dis, AllocationMode.MIXED_DATA_TYPES, shapeLength, DataType.LONG);

        Triple<AllocationMode, Long, DataType> dataHeader = BaseDataBuffer.readHeader(dis);
        long length = dataHeader.getMiddle();
        if (dataHeader.getFirst() != AllocationMode.MIXED_DATA_TYPES || dataHeader.getRight() != expected
                || declaredType(shapeInfo) != expected || length < 0 || length > Integer.MAX_VALUE / expected.width()
                || length * expected.width() > maxBytes) {
            return strict ? null : rewindAndReadWithNd4j(dis, buffered);
        }
        DataBuffer data = Nd4j.createBuffer(expected, length, false);
        ByteBuffer dst = nativeBytes(data);
        if (dst == null) {
            return strict ? null : rewindAndReadWithNd4j(dis, buffered);
        }
        byte[] chunk = new byte[(int) Math.min(CHUNK, dst.remaining())];
        if (expected == DataType.UINT8) {
            while (dst.hasRemaining()) {
                int k = Math.min(chunk.length, dst.remaining());
                dis.readFully(chunk, 0, k);
                dst.put(chunk, 0, k);
            }
        } else {
            FloatBuffer floats = dst.asFloatBuffer();
            while (floats.hasRemaining()) {
                int k = Math.min(chunk.length, floats.remaining() * Float.BYTES);
                dis.readFully(chunk, 0, k);
                floats.put(ByteBuffer.wrap(chunk, 0, k).order(ByteOrder.BIG_ENDIAN).asFloatBuffer());
            }
        }
        if (strict && shapeProduct(shapeInfo) != length) {
            return null;
        }
        return Nd4j.createArrayFromShapeBuffer(data, shapeInfo);
    }

    /** The element count the shape info declares (rank, then the shape); -1 when it does not parse. */
    private static long shapeProduct(DataBuffer shapeInfo) {
        long[] info = shapeInfo.asLong();
        int rank = (int) info[0];
        if (rank < 0 || rank > 32 || info.length < 1 + rank) {
            return -1;
        }
        long n = 1;
        for (int i = 1; i <= rank; i++) {
            if (info[i] < 0) {
                return -1;
            }
            n *= info[i];
        }
        return n;
    }

    private static INDArray rewindAndReadWithNd4j(DataInputStream dis, BufferedInputStream buffered) throws IOException {
        buffered.reset();
        return Nd4j.read(dis);
    }

    /** The data type the shape info declares; UNKNOWN for legacy shape infos (Nd4j.read patches those). */
    private static DataType declaredType(DataBuffer shapeInfo) {
        try {
            return ArrayOptionsHelper.dataType(shapeInfo.asLong());
        } catch (ND4JUnknownDataTypeException e) {
            return DataType.UNKNOWN;
        }
    }

    /**
     * The buffer's elements as a native-order ByteBuffer of exactly {@code length * width} bytes starting at element
     * 0, or null where the host memory is not laid out that simply (an offset buffer).
     */
    private static ByteBuffer nativeBytes(DataBuffer data) {
        if (data.offset() != 0) {
            return null;
        }
        ByteBuffer bytes = data.asNio();
        long size = data.length() * data.dataType().width();
        if (bytes == null || bytes.position() != 0 || bytes.remaining() != size) {
            return null;
        }
        return bytes.duplicate().order(ByteOrder.nativeOrder());
    }

    /** {@code ds.save(out)}, which closes its stream and swallows IOExceptions: keep {@code out} open, re-throw. */
    private static void saveWithNd4j(DataSet ds, OutputStream out) throws IOException {
        Guarded guarded = new Guarded(out);
        ds.save(guarded);
        if (guarded.failure != null) {
            throw guarded.failure;
        }
        out.flush();
    }

    private static final class Guarded extends FilterOutputStream {
        IOException failure;

        Guarded(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw remember(e);
            }
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        private IOException remember(IOException e) {
            if (failure == null) {
                failure = e;
            }
            return e;
        }
    }
}
