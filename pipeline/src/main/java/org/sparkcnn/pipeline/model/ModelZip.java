package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkcnn.pipeline.ndarray.NdArrayCodec;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * DL4J's model zip ({@code ModelSerializer}'s format, 1.0.0-M2.1: {@code configuration.json}, {@code coefficients.bin}
 * and {@code updaterState.bin} as {@code Nd4j.write} bytes, {@code noParams.marker} for a model without parameters),
 * written and read without DL4J's two costs: it deflates the arrays (float weights barely compress: a ResNet-50
 * checkpoint with its Adam state, 285 MB, took seconds), and reads them back element by element. Here the arrays are
 * stored uncompressed and moved in bulk ({@link NdArrayCodec}); the configuration is deflated. DL4J's
 * {@code ModelSerializer} reads these zips, and this class reads DL4J's (ModelZipTest checks both ways, so a DL4J
 * upgrade that changes the format fails there).
 *
 * <p>Reading never Java-deserialises: a zip with any other entry (DL4J's Java-serialised {@code preprocessor.bin}, a
 * normaliser) is {@link NotBulk}, left to DL4J's reader under the deserialisation guard. Arrays are read strictly, float data of at most {@link #maxArrayBytes} bytes each, so a
 * crafted header cannot make it allocate more than the file could plausibly hold; anything else is {@link NotBulk}.
 */
final class ModelZip {
    static final String CONFIGURATION = "configuration.json";
    static final String COEFFICIENTS = "coefficients.bin";
    static final String UPDATER_STATE = "updaterState.bin";
    static final String NO_PARAMS = "noParams.marker";
    /** The largest configuration read: DL4J's JSON for ResNet-50 is about 0.5 MB. */
    static final int MAX_CONFIGURATION_BYTES = 64 << 20;

    private ModelZip() {}

    /** Writes {@code model} (with its updater state when {@code saveUpdater}); does not close {@code out}. */
    static void write(Model model, OutputStream out, boolean saveUpdater) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        });
        String json = model instanceof MultiLayerNetwork mln ? mln.getLayerWiseConfigurations().toJson()
                : ((ComputationGraph) model).getConfiguration().toJson();
        zip.setLevel(Deflater.DEFAULT_COMPRESSION);
        zip.putNextEntry(new ZipEntry(CONFIGURATION));
        zip.write(json.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();

        zip.setLevel(Deflater.NO_COMPRESSION);
        INDArray params = model.params();
        if (params == null) {
            zip.putNextEntry(new ZipEntry(COEFFICIENTS));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(NO_PARAMS));
            zip.closeEntry();
        } else {
            writeArray(zip, COEFFICIENTS, params);
        }
        if (saveUpdater) {
            INDArray state = updaterState(model);
            if (state != null && state.length() > 0) {
                writeArray(zip, UPDATER_STATE, state);
            }
        }
        zip.close();
    }

    private static void writeArray(ZipOutputStream zip, String name, INDArray array) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        DataOutputStream dos = new DataOutputStream(new BufferedOutputStream(zip, NdArrayCodec.CHUNK));
        NdArrayCodec.write(array, dos);
        dos.flush();
        zip.closeEntry();
    }

    private static INDArray updaterState(Model model) {
        if (model instanceof MultiLayerNetwork mln) {
            return mln.getUpdater() == null ? null : mln.getUpdater().getStateViewArray();
        }
        ComputationGraph graph = (ComputationGraph) model;
        return graph.getUpdater() == null ? null : graph.getUpdater().getStateViewArray();
    }

    /** The most bytes one array of a {@code zipBytes}-byte file is allowed: its own size, or 16x for deflated arrays. */
    static long maxArrayBytes(long zipBytes) {
        return Math.min(Integer.MAX_VALUE, 16 * zipBytes + (1 << 20));
    }

    /**
     * Reads a model zip of either kind (the configuration says which): a {@link MultiLayerNetwork} or a
     * {@link ComputationGraph}, with its updater state when {@code loadUpdater} and the zip has one. Throws an
     * {@link IOException} naming the entry for a zip that is not a model.
     */
    static Model read(byte[] zipBytes, boolean loadUpdater) throws IOException {
        String json = null;
        INDArray params = null;
        INDArray state = null;
        boolean noParams = false;
        long maxBytes = maxArrayBytes(zipBytes.length);
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(zipBytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                switch (e.getName()) {
                    case CONFIGURATION -> {
                        byte[] bytes = zip.readNBytes(MAX_CONFIGURATION_BYTES + 1);
                        if (bytes.length > MAX_CONFIGURATION_BYTES) {
                            throw new IOException(CONFIGURATION + " is over " + (MAX_CONFIGURATION_BYTES >> 20) + " MB");
                        }
                        json = new String(bytes, StandardCharsets.UTF_8);
                    }
                    case COEFFICIENTS -> params = readArray(zip, COEFFICIENTS, maxBytes);
                    case UPDATER_STATE -> state = loadUpdater ? readArray(zip, UPDATER_STATE, maxBytes) : null;
                    case NO_PARAMS -> noParams = true;
                    // DL4J's preprocessor.bin and normaliser: Java-serialised, read by DL4J under the guard
                    default -> throw new NotBulk("entry " + e.getName() + " is DL4J's to read");
                }
            }
        }
        if (json == null) {
            throw new IOException("not a DL4J model file: no " + CONFIGURATION);
        }
        if (params == null && !noParams) {
            throw new IOException("not a DL4J model file: no " + COEFFICIENTS + " (and no " + NO_PARAMS + ")");
        }
        if (isGraph(json)) {
            ComputationGraphConfiguration conf = ComputationGraphConfiguration.fromJson(json);
            if (params != null) {
                conf.setDataType(params.dataType());
            }
            ComputationGraph graph = new ComputationGraph(conf);
            graph.init(params, false);
            if (state != null) {
                graph.getUpdater().setStateViewArray(state);
            }
            return graph;
        }
        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(json);
        if (params != null) {
            conf.setDataType(params.dataType());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init(params, false);
        if (state != null) {
            net.getUpdater().setStateViewArray(net, state, false);
        }
        return net;
    }

    /** A ComputationGraphConfiguration's JSON has {@code vertices}; a MultiLayerConfiguration's has not. */
    static boolean isGraph(String json) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).has("vertices");
    }

    /** An array in bulk when it is FLOAT data within {@code maxBytes}; otherwise {@link NotBulk}. */
    private static INDArray readArray(InputStream zip, String entry, long maxBytes) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(new NonClosing(zip), NdArrayCodec.CHUNK);
        INDArray array = NdArrayCodec.read(new DataInputStream(buffered), buffered, DataType.FLOAT, maxBytes);
        if (array == null) {
            throw new NotBulk(entry + " is not float data of at most " + maxBytes + " bytes");
        }
        return array;
    }

    /**
     * A zip this class does not read in bulk (arrays of another data type, or larger than its file suggests):
     * {@link Network} hands such a zip to DL4J's own reader.
     */
    static final class NotBulk extends IOException {
        NotBulk(String message) {
            super(message);
        }
    }

    /** Lets a reader of one entry close its wrappers without closing the zip. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {}
    }
}
