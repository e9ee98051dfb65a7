package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-place updater is DL4J's own updater on a shorter path: after the same minibatches from the same start,
 * parameters, updater state and iteration counter must equal stock DL4J's bit for bit, for every optimiser and
 * regularisation the config offers, for MultiLayerNetworks and ComputationGraphs, and when installed mid-training.
 */
class InPlaceUpdatersTest {
    private static final int SIZE = 12;

    @ParameterizedTest
    @ValueSource(strings = {"adam", "adam-l2-weight-decay", "sgd-nesterov-l2", "sgd-plain", "adam-clip-l2"})
    void aMultiLayerNetworkTrainsBitForBitAsWithDl4jsUpdater(String optimisation) {
        PipelineConfig c = config(optimisation);
        MultiLayerNetwork stock = stockNetwork(c);
        MultiLayerNetwork ours = stock.clone();
        InPlaceUpdaters.install(ours);
        assertTrue(ours.getUpdater() instanceof InPlaceMultiLayerUpdater);
        for (DataSet batch : batches(6)) {
            stock.fit(batch);
            ours.fit(batch);
        }
        assertSameTraining(stock, ours);
        if (optimisation.startsWith("adam")) {
            assertAdamInJava(((InPlaceMultiLayerUpdater) ours.getUpdater()).getUpdaterBlocks());
        }
        assertEquals(stock.getLayerWiseConfigurations().getIterationCount(), ours.getLayerWiseConfigurations().getIterationCount());
        assertEquals(stock.score(), ours.score());
    }

    @Test
    void installingMidTrainingKeepsTheUpdaterState() {
        PipelineConfig c = config("adam");
        MultiLayerNetwork stock = stockNetwork(c);
        MultiLayerNetwork ours = stock.clone();
        List<DataSet> batches = batches(5);
        for (int i = 0; i < 5; i++) {
            if (i == 2) {
                InPlaceUpdaters.install(ours);
                assertTrue(ours.getUpdater() instanceof InPlaceMultiLayerUpdater);
                assertBitEqual(stock.getUpdater().getStateViewArray(), ours.getUpdater().getStateViewArray(),
                        "the moments carried over");
            }
            stock.fit(batches.get(i));
            ours.fit(batches.get(i));
        }
        assertSameTraining(stock, ours);
    }

    @Test
    void installIsIdempotentAndNetworkOfInstallsIt() {
        PipelineConfig c = config("adam");
        MultiLayerNetwork net = stockNetwork(c);
        Network wrapped = Network.of(net);
        Object updater = net.getUpdater();
        assertTrue(updater instanceof InPlaceMultiLayerUpdater);
        InPlaceUpdaters.install(wrapped.model());
        assertSame(updater, net.getUpdater());
        assertTrue(Network.of(net.clone()).multiLayer().getUpdater() instanceof InPlaceMultiLayerUpdater,
                "a copy gets one too");
    }

    @Test
    void aComputationGraphTrainsBitForBitAsWithDl4jsUpdater() {
        PipelineConfig c = config("adam-l2-weight-decay");
        MultiLayerNetwork source = stockNetwork(c);
        ComputationGraph stock = source.toComputationGraph();
        ComputationGraph ours = stock.clone();
        InPlaceUpdaters.install(ours);
        assertTrue(ours.getUpdater() instanceof InPlaceGraphUpdater);
        for (DataSet batch : batches(5)) {
            stock.fit(batch);
            ours.fit(batch);
        }
        assertSameTraining(stock, ours);
        assertAdamInJava(((InPlaceGraphUpdater) ours.getUpdater()).getUpdaterBlocks());
    }

    /**
     * Adam's step is {@link JavaAdamUpdater}'s Java kernel on the blocks' own memory: its float arithmetic is
     * libnd4j's, operation for operation, so the training above matched stock DL4J's bit for bit through it.
     */
    private static void assertAdamInJava(List<UpdaterBlock> blocks) {
        assertFalse(blocks.isEmpty());
        for (UpdaterBlock block : blocks) {
            assertTrue(block.getGradientUpdater() instanceof JavaAdamUpdater, "block " + block.getParamOffsetStart()
                    + " runs " + block.getGradientUpdater().getClass().getName());
            assertNotNull(NativeFloats.of(block.getGradientView()), "the block's gradient is one run of floats");
            assertNotNull(NativeFloats.of(((JavaAdamUpdater) block.getGradientUpdater()).getM()), "Adam's m");
        }
    }

    @Test
    void onlyTheNetworksOwnGradientMemoryTakesTheInPlacePath() {
        PipelineConfig c = config("adam");
        MultiLayerNetwork net = stockNetwork(c);
        InPlaceUpdaters.install(net);
        net.fit(batches(1).get(0));
        INDArray view = ((BaseMultiLayerUpdater<?>) net.getUpdater()).getFlattenedGradientsView();
        Gradient own = net.gradient();
        assertNotSame(view, own.gradient(), "DL4J M2.1 hands out a new reshape each call (the reason for this class)");
        Gradient inPlace = InPlaceGradient.of(own, view);
        assertTrue(inPlace instanceof InPlaceGradient);
        assertSame(view, inPlace.gradient());
        assertSame(own.gradientForVariable(), inPlace.gradientForVariable());

        Gradient foreign = new DefaultGradient(view.dup());
        assertSame(foreign, InPlaceGradient.of(foreign, view), "a copy elsewhere stays external");
        Gradient shifted = new DefaultGradient(view.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(1, view.length())));
        assertSame(shifted, InPlaceGradient.of(shifted, view), "other memory in the same buffer stays external");
    }

    /** A network of {@code c} with DL4J's own updater (not wrapped as a {@code Network}). */
    private static MultiLayerNetwork stockNetwork(PipelineConfig c) {
        MultiLayerNetwork net = new MultiLayerNetwork(ModelFactory.build(c.model(), SIZE, SIZE, 3, 4, c.train(), 7));
        net.init();
        return net;
    }

    private static PipelineConfig config(String optimisation) {
        List<String> sets = new ArrayList<>(List.of("model.architecture=custom",
                "model.layers=[{type = conv, filters = 4, kernel = 3, activation = relu}, {type = pool, size = 2},"
                        + " {type = dense, units = 8, activation = relu}]"));
        switch (optimisation) {
            case "adam" -> sets.add("train.optimizer=adam");
            case "adam-l2-weight-decay" -> sets.addAll(List.of("train.optimizer=adam", "train.l2=0.01", "train.weight-decay=0.001"));
            case "sgd-nesterov-l2" -> sets.addAll(List.of("train.optimizer=sgd", "train.momentum=0.9", "train.l2=0.01"));
            case "sgd-plain" -> sets.addAll(List.of("train.optimizer=sgd", "train.momentum=0"));
            case "adam-clip-l2" -> sets.addAll(List.of("train.optimizer=adam", "train.gradient-normalization=clip-l2-per-layer",
                    "train.gradient-normalization-threshold=0.5"));
            default -> throw new IllegalArgumentException(optimisation);
        }
        return ConfigLoader.load(null, sets);
    }

    private static List<DataSet> batches(int n) {
        Nd4j.getRandom().setSeed(3);
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            INDArray x = Nd4j.rand(DataType.FLOAT, 5, 3, SIZE, SIZE);
            INDArray y = Nd4j.eye(4).getRows(i % 4, (i + 1) % 4, 2, 3, 0).castTo(DataType.FLOAT);
            out.add(new DataSet(x, y));
        }
        return out;
    }

    /** Parameters and updater state equal bit for bit. */
    private static void assertSameTraining(org.deeplearning4j.nn.api.Model stock, org.deeplearning4j.nn.api.Model ours) {
        assertBitEqual(stock.params(), ours.params(), "parameters");
        assertBitEqual(updaterState(stock), updaterState(ours), "updater state");
    }

    private static INDArray updaterState(org.deeplearning4j.nn.api.Model model) {
        return model instanceof MultiLayerNetwork net ? net.getUpdater().getStateViewArray()
                : ((ComputationGraph) model).getUpdater().getStateViewArray();
    }

    private static void assertBitEqual(INDArray expected, INDArray actual, String what) {
        if (expected == null || actual == null) {
            assertSame(expected, actual, what + ": both or neither");
            return;
        }
        assertEquals(expected.length(), actual.length(), what + " length");
        assertArrayEquals(expected.dup().data().asFloat(), actual.dup().data().asFloat(), what + " differs");
    }
}
