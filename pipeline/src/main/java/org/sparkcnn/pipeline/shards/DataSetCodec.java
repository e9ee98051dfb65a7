package org.sparkcnn.pipeline.shards;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.ndarray.NdArrayCodec;
import org.sparkcnn.pipeline.security.DeserializationGuard;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

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
    private static final int CHUNK = NdArrayCodec.CHUNK;
    /** Covers the flag byte, a shape info buffer (rank &lt;= 32) and a data header, with room to spare. */
    private static final int MARK_LIMIT = NdArrayCodec.MARK_LIMIT;
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
        NdArrayCodec.write(ds.getFeatures(), dos);
        NdArrayCodec.write(ds.getLabels(), dos);
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
        INDArray features = NdArrayCodec.read(dis, buffered, DataType.UINT8, Long.MAX_VALUE);
        INDArray labels = NdArrayCodec.read(dis, buffered, DataType.FLOAT, Long.MAX_VALUE);
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
        INDArray features = NdArrayCodec.read(dis, buffered, DataType.UINT8, maxBytes);
        INDArray labels = NdArrayCodec.read(dis, buffered, DataType.FLOAT, maxBytes);
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
