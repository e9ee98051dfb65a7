package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model zips in DL4J's format, written and read in bulk: DL4J's ModelSerializer reads ours and we read DL4J's (so a DL4J
 * upgrade that changes the format fails here), parameters, updater state and outputs survive, the arrays are stored
 * rather than deflated, and a zip whose arrays are not what they claim is refused before any large allocation.
 */
class ModelZipTest {

    private static MultiLayerNetwork multiLayer() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 2)).build());
        net.init();
        return net;
    }

    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).updater(new Adam(1e-3))
                .graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
                .addLayer("dense", new DenseLayer.Builder().nOut(6).activation(Activation.RELU).build(), "bn")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out").setInputTypes(InputType.convolutional(8, 8, 2)).build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static final INDArray X = Nd4j.rand(DataType.FLOAT, 5, 2, 8, 8);

    /** Both kinds, after a step, so that the updater state is not its initial zeros. */
    private static List<Model> trained() {
        DataSet batch = new DataSet(X, Nd4j.eye(3).getRows(0, 1, 2, 0, 1).castTo(DataType.FLOAT));
        MultiLayerNetwork mln = multiLayer();
        ComputationGraph cg = graph();
        mln.fit(batch);
        cg.fit(batch);
        return List.of(mln, cg);
    }

    private static INDArray state(Model m) {
        return m instanceof MultiLayerNetwork n ? n.getUpdater().getStateViewArray()
                : ((ComputationGraph) m).getUpdater().getStateViewArray();
    }

    private static INDArray output(Model m) {
        return m instanceof MultiLayerNetwork n ? n.output(X, false) : ((ComputationGraph) m).outputSingle(false, X);
    }

    private static byte[] ours(Model m) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelZip.write(m, out, true);
        return out.toByteArray();
    }

    @Test
    void dl4jReadsOurZipsAndWeReadDl4jsWithParametersUpdaterStateAndOutputs() throws IOException {
        for (Model m : trained()) {
            byte[] zip = ours(m);
            Model byDl4j = m instanceof MultiLayerNetwork
                    ? ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), true)
                    : ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), true);
            assertEquals(m.params(), byDl4j.params(), "DL4J reads our parameters");
            assertEquals(state(m), state(byDl4j), "DL4J reads our updater state");

            ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
            ModelSerializer.writeModel(m, dl4j, true);
            for (byte[] bytes : List.of(zip, dl4j.toByteArray())) {
                Model back = ModelZip.read(bytes, true);
                assertEquals(m.getClass(), back.getClass());
                assertEquals(m.params(), back.params());
                assertEquals(state(m), state(back));
                assertEquals(output(m), output(back), "the same outputs, batch-norm statistics included");
            }
            Model withoutUpdater = ModelZip.read(zip, false);
            assertEquals(m.params(), withoutUpdater.params());
        }
    }

    @Test
    void arraysAreStoredNotDeflatedAndTheZipHoldsDl4jsEntries() throws IOException {
        Model m = trained().get(1);
        byte[] zip = ours(m);
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                in.readAllBytes();
            }
        }
        assertEquals(List.of("configuration.json", "coefficients.bin", "updaterState.bin"), names);
        long arrayBytes = 4 * (m.params().length() + state(m).length());
        assertTrue(zip.length >= arrayBytes, "uncompressed: " + zip.length + " bytes for " + arrayBytes + " of floats");
    }

    @Test
    void anArrayHeaderClaimingMoreThanTheFileHoldsIsRefusedBeforeAllocating() throws IOException {
        Model m = trained().get(0);
        // coefficients.bin whose header says 400 M floats (1.6 GB) in a zip of a few kilobytes
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        DataOutputStream dos = new DataOutputStream(header);
        INDArray small = Nd4j.create(DataType.FLOAT, 1, 4);
        small.shapeInfoDataBuffer().write(dos);
        dos.writeUTF("MIXED_DATA_TYPES");
        dos.writeLong(400_000_000L);
        dos.writeUTF("FLOAT");
        dos.flush();
        byte[] crafted = replaceEntry(ours(m), "coefficients.bin", header.toByteArray());
        ModelZip.NotBulk e = assertThrows(ModelZip.NotBulk.class, () -> ModelZip.read(crafted, true));
        assertTrue(e.getMessage().contains("coefficients.bin"), e.getMessage());
    }

    @Test
    void aZipWithoutItsConfigurationOrParametersNamesWhatIsMissing() throws IOException {
        byte[] zip = ours(trained().get(0));
        IOException noConf = assertThrows(IOException.class, () -> ModelZip.read(replaceEntry(zip, "configuration.json", null), true));
        assertTrue(noConf.getMessage().contains("configuration.json"), noConf.getMessage());
        IOException noParams = assertThrows(IOException.class, () -> ModelZip.read(replaceEntry(zip, "coefficients.bin", null), true));
        assertTrue(noParams.getMessage().contains("coefficients.bin"), noParams.getMessage());
        assertThrows(ModelZip.NotBulk.class, () -> ModelZip.read(replaceEntry(zip, "preprocessor.bin", new byte[]{1}), true),
                "a Java-serialised entry is left to DL4J's guarded reader");
    }

    /** {@code zip} with entry {@code name} replaced by {@code content} (added when missing; removed when null). */
    private static byte[] replaceEntry(byte[] zip, String name, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean done = false;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip)); ZipOutputStream z = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().equals(name)) {
                    done = true;
                    if (content == null) {
                        continue;
                    }
                    bytes = content;
                }
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(bytes);
            }
            if (!done && content != null) {
                z.putNextEntry(new ZipEntry(name));
                z.write(content);
            }
        }
        return out.toByteArray();
    }
}
