package org.sparkcnn.pipeline.security;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.model.PretrainedModelLoader;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model zips through {@link Network#read}: what this project and DL4J write still loads, for both network kinds; a
 * {@code preprocessor.bin} holding anything off the allow-list is a bad input naming the file and the class, and
 * the class's readObject never runs.
 */
class ModelZipGuardTest {
    private static final String SOURCE = "file:/warehouse/run-9/checkpoints/epoch-0002/model.zip";

    @TempDir
    Path tmp;

    @BeforeEach
    void reset() {
        Tripwire.RUNS.set(0);
    }

    private static MultiLayerNetwork multiLayer() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3))
                .list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build());
        net.init();
        return net;
    }

    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).updater(new Adam(1e-3))
                .graphBuilder().addInputs("in")
                .addLayer("dense", new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    private static List<Model> models() {
        MultiLayerNetwork mln = multiLayer();
        ComputationGraph cg = graph();
        DataSet batch = new DataSet(Nd4j.rand(5, 4), Nd4j.eye(2).getRows(0, 1, 0, 1, 0));
        mln.fit(batch);   // updater state to save
        cg.fit(batch);
        return List.of(mln, cg);
    }

    private byte[] write(Model model, DataNormalization normalizer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelSerializer.writeModel(model, out, true);
        if (normalizer == null) {
            return out.toByteArray();
        }
        // writeModel(..., normalizer) fails in 1.0.0-M2.1 (it closes the zip twice); DL4J's other way adds the entry.
        File zip = Files.createTempFile(tmp, "with-normalizer", ".zip").toFile();
        Files.write(zip.toPath(), out.toByteArray());
        ModelSerializer.addNormalizerToModel(zip, normalizer);
        assertTrue(ModelSerializer.restoreNormalizerFromFile(zip) != null);
        return Files.readAllBytes(zip.toPath());
    }

    /** {@code zip} with a {@code preprocessor.bin} entry added (as DL4J versions before 1.0.0-beta wrote one). */
    private static byte[] withPreprocessorBin(byte[] zip, byte[] content) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
             ZipOutputStream z = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(in.readAllBytes());
            }
            z.putNextEntry(new ZipEntry(ModelSerializer.PREPROCESSOR_BIN));
            z.write(content);
        }
        return out.toByteArray();
    }

    private static void assertSameNetwork(Model expected, Network back) {
        assertEquals(expected instanceof ComputationGraph, back.isGraph());
        assertEquals(expected.params(), back.params());
    }

    /** The classes Java streams resolved while DL4J restored {@code zip} (an open scope records them). */
    private static List<String> resolvedWhileRestoring(Model kind, byte[] zip) throws IOException {
        FilterInstaller.ensureInstalled();
        try (ReadScope scope = ReadScope.open()) {
            if (kind instanceof ComputationGraph) {
                ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), true);
            } else {
                ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip), true);
            }
            assertTrue(!scope.refused(), scope.refusedClass() + " " + scope.exceededLimit());
            return scope.resolvedClasses();
        }
    }

    @Test
    void zipsThisProjectWritesLoad() throws IOException {
        for (Model model : models()) {
            Network network = model instanceof ComputationGraph g ? Network.of(g) : Network.of((MultiLayerNetwork) model);
            Network back = Network.read(network.toBytes(true), true, SOURCE);
            assertSameNetwork(model, back);
            assertEquals(network.updaterState(), back.updaterState());
            assertEquals(List.of(), resolvedWhileRestoring(model, network.toBytes(true)),
                    "nothing in our own zips is Java-deserialised");
        }
    }

    @Test
    void modelSerializerZipsWithANormalizerLoadAndTheNormalizerIsNotJavaDeserialised() throws IOException {
        DataSet data = new DataSet(Nd4j.rand(16, 4), Nd4j.rand(16, 2));
        NormalizerStandardize standardize = new NormalizerStandardize();
        standardize.fit(data);
        NormalizerMinMaxScaler minMax = new NormalizerMinMaxScaler();
        minMax.fit(data);
        for (Model model : models()) {
            for (DataNormalization normalizer : List.of(standardize, minMax, new ImagePreProcessingScaler(0, 1))) {
                byte[] zip = write(model, normalizer);
                assertSameNetwork(model, Network.read(zip, true, SOURCE));
                assertEquals(List.of(), resolvedWhileRestoring(model, zip), "normalizer.bin is not Java-serialised");
            }
        }
    }

    @Test
    void aLegitimateLegacyPreprocessorBinLoads() throws IOException {
        for (Model model : models()) {
            for (DataSetPreProcessor preprocessor : LegitimateStreams.preprocessors()) {
                byte[] zip = withPreprocessorBin(write(model, null), Tripwire.serialise(preprocessor));
                assertSameNetwork(model, Network.read(zip, false, SOURCE));
                List<String> resolved = resolvedWhileRestoring(model, zip);
                assertTrue(resolved.contains(preprocessor.getClass().getName()),
                        "DL4J deserialised preprocessor.bin: " + resolved);
            }
        }
    }

    @Test
    void aCraftedPreprocessorBinIsABadInputNamingFileAndClassAndNothingOffTheListIsInstantiated() throws Exception {
        Map<Object, Object> urlMap = new HashMap<>();
        urlMap.put(new URL("http://127.0.0.1:1/"), "x");
        Map<Object, String> payloads = Map.of(new Tripwire(), Tripwire.class.getName(),
                new File("/etc/passwd"), "java.io.File", urlMap, "java.util.HashMap");
        for (Model model : models()) {
            for (Map.Entry<Object, String> payload : payloads.entrySet()) {
                byte[] zip = withPreprocessorBin(write(model, null), Tripwire.serialise(payload.getKey()));
                BadInputException e = assertThrows(BadInputException.class, () -> Network.read(zip, false, SOURCE));
                assertTrue(e.getMessage().startsWith(SOURCE + " was refused"), e.getMessage());
                assertTrue(e.getMessage().contains("class " + payload.getValue()), e.getMessage());
                assertTrue(e.getMessage().contains("do not load files of unknown origin"), e.getMessage());
            }
        }
        assertEquals(0, Tripwire.RUNS.get(), "Tripwire.readObject ran");
    }

    @Test
    void modelInitWithACraftedZipNamesTheZip() throws IOException {
        Path zip = tmp.resolve("pretrained.zip");
        Files.write(zip, withPreprocessorBin(write(multiLayer(), null), Tripwire.serialise(new Tripwire())));
        BadInputException e = assertThrows(BadInputException.class,
                () -> PretrainedModelLoader.load(Storage.of(new Configuration()), zip.toString()));
        assertTrue(e.getMessage().contains("pretrained.zip was refused") && e.getMessage().contains(Tripwire.class.getName()),
                e.getMessage());
        assertEquals(0, Tripwire.RUNS.get());
    }
}
