package org.sparkcnn.pipeline.ndarray;

import org.nd4j.common.primitives.Triple;
import org.nd4j.linalg.api.buffer.BaseDataBuffer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataBuffer.AllocationMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.options.ArrayOptionsHelper;
import org.nd4j.linalg.exception.ND4JUnknownDataTypeException;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * One ND4J array in exactly the bytes of {@code Nd4j.write(arr, dos)} / {@code Nd4j.read(dis)} (1.0.0-M2.1), its
 * data buffer moved in bulk: ND4J writes and reads it element by element through {@code DataOutputStream} and an
 * indexer (a boxed {@code Number} per element on read), about 1 s for 67 MB on one core. Format (big-endian):
 * <pre>
 *   shape info:  UTF allocation mode ("MIXED_DATA_TYPES"), long length (2*rank+4), UTF "LONG",
 *                then the shape info longs: rank, shape[rank], stride[rank], extras, ews, order ('c' = 99)
 *   data:        UTF allocation mode, long length, UTF dtype name ("UBYTE" for UINT8, "FLOAT"),
 *                then length elements: UBYTE 1 byte each, FLOAT 4 bytes each (Float.floatToIntBits)
 * </pre>
 * UINT8 and FLOAT data take the bulk path; anything else, and buffers not laid out simply, go to ND4J itself. Shape
 * info buffers are always written and read by ND4J (they are tiny), so shape, strides, order and option bits are
 * ND4J's own. Used by the shard codec and the model zips.
 */
public final class NdArrayCodec {
    /** Bytes moved per copy. */
    public static final int CHUNK = 1 << 20;
    /** Covers a shape info buffer (rank &lt;= 32) and a data header, with room to spare. */
    public static final int MARK_LIMIT = 1 << 16;
    private static final int MAX_SHAPE_INFO_LENGTH = 2 * 32 + 4;

    private NdArrayCodec() {}

    /** {@code Nd4j.write(arr, dos)} with the data buffer's elements written in bulk. */
    public static void write(INDArray arr, DataOutputStream dos) throws IOException {
        INDArray a = arr.isView() ? arr.dup() : arr;
        DataBuffer data = a.data();
        try {
            a.shapeInfoDataBuffer().write(dos);
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
                // DataOutputStream.writeFloat = writeInt(Float.floatToIntBits(v)): big-endian, NaNs canonical. The
                // floats come over in bulk (a copy, then a byte-swapping copy: both native in the JDK, whichever
                // JIT runs this), and only NaNs are touched one by one.
                FloatBuffer floats = src.asFloatBuffer();
                float[] values = new float[CHUNK / Float.BYTES];
                FloatBuffer be = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
                while (floats.hasRemaining()) {
                    int k = Math.min(values.length, floats.remaining());
                    floats.get(values, 0, k);
                    for (int i = 0; i < k; i++) {
                        if (values[i] != values[i]) {
                            values[i] = Float.NaN;   // floatToIntBits' one NaN, 0x7fc00000
                        }
                    }
                    be.clear();
                    be.put(values, 0, k);
                    dos.write(chunk, 0, k * Float.BYTES);
                }
            }
        } finally {
            // The ByteBuffer over the native memory does not keep its owner alive: without these, the JIT may
            // treat a dup()ed array as dead mid-loop, and JavaCPP free the memory being read (a SIGSEGV).
            Reference.reachabilityFence(data);
            Reference.reachabilityFence(a);
        }
    }

    /**
     * {@code Nd4j.read(dis)} with the data buffer's elements read in bulk when it holds {@code expected}; otherwise
     * rewinds to the array's start ({@code buffered}, the stream under {@code dis}, is marked here) and lets
     * {@code Nd4j.read} do it. With a {@code maxBytes} other than {@code Long.MAX_VALUE} (strict: for input whose
     * integrity is not known yet) it never falls back, and returns null for an array that is not {@code expected}
     * data or would need more than {@code maxBytes}, before allocating it.
     */
    public static INDArray read(DataInputStream dis, BufferedInputStream buffered, DataType expected,
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
            // a byte-swapping copy into an array, then a plain one into native memory: both bulk in the JDK
            FloatBuffer floats = dst.asFloatBuffer();
            float[] values = new float[chunk.length / Float.BYTES];
            FloatBuffer be = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN).asFloatBuffer();
            while (floats.hasRemaining()) {
                int k = Math.min(values.length, floats.remaining());
                dis.readFully(chunk, 0, k * Float.BYTES);
                be.clear();
                be.get(values, 0, k);
                floats.put(values, 0, k);
            }
        }
        Reference.reachabilityFence(data);
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

}
