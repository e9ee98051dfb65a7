package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.error.BadInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Freezing, head replacement, summaries and round trips of fine-tuned networks of both kinds. */
class FineTunerTest {

    static PipelineConfig config(String freezeUpTo) {
        return ConfigLoader.load(null, List.of("model.init=file:/tmp/base.zip", "model.freeze-up-to=" + freezeUpTo,
                "model.fine-tune.learning-rate=0.01"));
    }

    static Network lenet() {
        return ModelFactory.create(ConfigLoader.load(null, List.of()).model(), 32, 32, 3, 4,
                ConfigLoader.load(null, List.of()).train(), 3);
    }

    static DataSet batch(int n, int classes, int size) {
        Nd4j.getRandom().setSeed(5);
        INDArray labels = Nd4j.zeros(n, classes);
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, i % classes, 1.0);
        }
        return new DataSet(Nd4j.rand(n, 3, size, size), labels);
    }

    /** Per layer: whether one training step changed its parameters. */
    static List<Boolean> changedByOneStep(Network net, DataSet ds) {
        Map<String, INDArray> before = snapshotAll(net);
        net.fit(ds);
        List<Boolean> changed = new ArrayList<>();
        for (FrozenLayers.Row r : FrozenLayers.rows(net)) {
            INDArray b = before.get(r.name());
            changed.add(b != null && !java.util.Arrays.equals(exact(b), exact(layerParams(net, r))));
        }
        return changed;
    }

    /** The values bit for bit (INDArray.equals allows differences up to 1e-5). */
    static float[] exact(INDArray a) {
        return a.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    }

    static Map<String, INDArray> snapshotAll(Network net) {
        Map<String, INDArray> all = new java.util.LinkedHashMap<>();
        for (FrozenLayers.Row r : FrozenLayers.rows(net)) {
            if (r.params() > 0) {
                all.put(r.name(), layerParams(net, r).dup());
            }
        }
        return all;
    }

    static INDArray layerParams(Network net, FrozenLayers.Row r) {
        return net.isGraph() ? net.graph().getVertex(r.name()).getLayer().params() : net.multiLayer().getLayer(r.index()).params();
    }

    @Test
    void multiLayerNetworkFreezesUpToAnIndexAndReplacesTheHead() {
        Network base = lenet();
        PipelineConfig c = config("3");
        Network tuned = FineTuner.fineTune(base, c.model(), c.train(), 2, 11);
        List<FrozenLayers.Row> rows = FrozenLayers.rows(tuned);
        assertEquals(List.of(true, true, true, true, false, false, false), rows.stream().map(FrozenLayers.Row::frozen).toList());
        assertArrayEquals(new long[]{5, 2}, tuned.output(Nd4j.rand(5, 3, 32, 32)).shape(), "new head for 2 classes");
        for (int i : new int[]{0, 2}) {   // the convolutions; the pools have no parameters
            assertArrayEquals(exact(base.multiLayer().getLayer(i).params()), exact(tuned.multiLayer().getLayer(i).params()),
                    "layer " + i + " copied");
        }
        List<Boolean> changed = changedByOneStep(tuned, batch(8, 2, 32));
        // conv, pool, conv, pool frozen (pools have no parameters); dense, dense, output train.
        assertEquals(List.of(false, false, false, false, true, true, true), changed);
    }

    @Test
    void freezePointByLayerNameEqualsByIndex() {
        Network base = lenet();
        String name = LayerOrder.of(base).name(2);
        Network byName = FineTuner.fineTune(base, config(name).model(), config(name).train(), 3, 11);
        Network byIndex = FineTuner.fineTune(base, config("2").model(), config("2").train(), 3, 11);
        assertEquals(FrozenLayers.rows(byIndex), FrozenLayers.rows(byName));
        assertArrayEquals(exact(byIndex.params()), exact(byName.params()), "same seed, same new head");
        assertEquals(List.of(true, true, true, false, false, false, false),
                FrozenLayers.rows(byName).stream().map(FrozenLayers.Row::frozen).toList());
    }

    @Test
    void unknownLayerNameIsRefusedNamingKeyValueAndTheValidNames() {
        Network base = lenet();
        BadInputException e = assertThrows(BadInputException.class,
                () -> FineTuner.fineTune(base, config("conv9").model(), config("conv9").train(), 2, 1));
        assertTrue(e.getMessage().contains("model.freeze-up-to"), e.getMessage());
        assertTrue(e.getMessage().contains("'conv9'"), e.getMessage());
        assertTrue(e.getMessage().contains(LayerOrder.of(base).names().toString()), e.getMessage());
        BadInputException tooFar = assertThrows(BadInputException.class,
                () -> FineTuner.fineTune(base, config("40").model(), config("40").train(), 2, 1));
        assertTrue(tooFar.getMessage().contains("layers 0 to 6"), tooFar.getMessage());
        BadInputException output = assertThrows(BadInputException.class,
                () -> FineTuner.fineTune(base, config("6").model(), config("6").train(), 2, 1));
        assertTrue(output.getMessage().contains("output layer"), output.getMessage());
    }

    @Test
    void inputShapeMismatchIsABadInputNamingBothShapes() {
        Network base = lenet();
        InputShapeCheck.require(base, 3, 32, 32, "file:/base");
        BadInputException size = assertThrows(BadInputException.class,
                () -> InputShapeCheck.require(base, 3, 28, 28, "file:/base"));
        assertTrue(size.getMessage().contains("model.init = file:/base"), size.getMessage());
        assertTrue(size.getMessage().contains("3x28x28"), size.getMessage());
        BadInputException channels = assertThrows(BadInputException.class,
                () -> InputShapeCheck.require(base, 1, 32, 32, "file:/base"));
        assertTrue(channels.getMessage().contains("1x32x32"), channels.getMessage());
    }

    @Test
    void summaryMarksFrozenLayersAndCountsTheirParameters() {
        Network tuned = FineTuner.fineTune(lenet(), config("3").model(), config("3").train(), 2, 11);
        String summary = ModelSummary.of(tuned);
        long frozen = tuned.multiLayer().getLayer(0).numParams() + tuned.multiLayer().getLayer(2).numParams();
        assertTrue(frozen > 0);
        assertTrue(summary.contains("parameters: " + (tuned.numParams() - frozen) + " trainable, " + frozen + " frozen, "
                + tuned.numParams() + " total"), summary);
        String[] lines = summary.lines().filter(l -> l.matches("\\s*\\d+\\s+\\S+\\s+\\S+\\s+\\d+\\s+(frozen|-)")).toArray(String[]::new);
        assertEquals(7, lines.length, summary);
        assertTrue(lines[0].endsWith("frozen") && lines[3].endsWith("frozen") && lines[4].endsWith("-"), summary);
        String plain = ModelSummary.of(lenet());
        assertTrue(plain.contains(" 0 frozen, "), plain);
    }

    @Test
    void frozenLayersSurviveTheCheckpointRoundTripAndStayFrozen() throws Exception {
        Network tuned = FineTuner.fineTune(lenet(), config("3").model(), config("3").train(), 2, 11);
        tuned.fit(batch(8, 2, 32));
        Network back = Network.read(tuned.toBytes(true), true);
        assertEquals(FrozenLayers.rows(tuned), FrozenLayers.rows(back));
        assertArrayEquals(exact(tuned.params()), exact(back.params()));
        assertEquals(List.of(false, false, false, false, true, true, true), changedByOneStep(back, batch(8, 2, 32)));
    }

    @Test
    void restoreUndoesAnyChangeToFrozenParametersOnly() {
        Network tuned = FineTuner.fineTune(lenet(), config("3").model(), config("3").train(), 2, 11);
        Map<String, INDArray> saved = FrozenLayers.snapshot(tuned);
        assertEquals(2, saved.size(), "the two frozen convolutions");
        INDArray outputBefore = tuned.multiLayer().getLayer(6).params().dup();
        tuned.params().addi(1e-3);
        FrozenLayers.restore(tuned, saved);
        assertArrayEquals(exact(saved.get(LayerOrder.of(tuned).name(0))), exact(tuned.multiLayer().getLayer(0).params()));
        assertArrayEquals(exact(saved.get(LayerOrder.of(tuned).name(2))), exact(tuned.multiLayer().getLayer(2).params()));
        assertEquals(outputBefore.add(1e-3), tuned.multiLayer().getLayer(6).params(), "trainable parameters keep their change");
    }

    static ComputationGraph smallGraph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).updater(new Adam(1e-3))
                .weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("in")
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "in")
                .addLayer("pool1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "conv1")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build(), "pool1")
                .addLayer("fc", new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build(), "conv2")
                .addLayer("predictions", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(5)
                        .activation(Activation.SOFTMAX).build(), "fc")
                .setOutputs("predictions")
                .setInputTypes(InputType.convolutional(16, 16, 3))
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void computationGraphFreezesByVertexNameAndReplacesItsOutput() throws Exception {
        Network base = Network.of(smallGraph());
        assertEquals(List.of("conv1", "pool1", "conv2", "fc", "predictions"), LayerOrder.of(base).names());
        PipelineConfig c = config("conv2");
        Network tuned = FineTuner.fineTune(base, c.model(), c.train(), 3, 11);
        assertTrue(tuned.isGraph());
        assertEquals(List.of(true, true, true, false, false),
                FrozenLayers.rows(tuned).stream().map(FrozenLayers.Row::frozen).toList());
        assertArrayEquals(new long[]{4, 3}, tuned.output(Nd4j.rand(4, 3, 16, 16)).shape());
        assertArrayEquals(exact(base.graph().getLayer("conv2").params()), exact(tuned.graph().getVertex("conv2").getLayer().params()));
        assertEquals(List.of(false, false, false, true, true), changedByOneStep(tuned, batch(6, 3, 16)));
        Network back = Network.read(tuned.toBytes(true), true);
        assertEquals(FrozenLayers.rows(tuned), FrozenLayers.rows(back));
        assertEquals(List.of(false, false, false, true, true), changedByOneStep(back, batch(6, 3, 16)));
        assertTrue(ModelSummary.of(back).contains("frozen, "), ModelSummary.of(back));
        BadInputException e = assertThrows(BadInputException.class,
                () -> FineTuner.fineTune(base, config("dense").model(), c.train(), 3, 1));
        assertTrue(e.getMessage().contains("[conv1, pool1, conv2, fc, predictions]"), e.getMessage());
    }

    @Test
    void nothingFrozenWhenFreezeUpToIsEmpty() {
        PipelineConfig c = ConfigLoader.load(null, List.of("model.init=file:/tmp/base.zip"));
        Network tuned = FineTuner.fineTune(lenet(), c.model(), c.train(), 3, 11);
        assertFalse(FrozenLayers.any(tuned));
        assertEquals(0, FrozenLayers.snapshot(tuned).size());
    }
}
