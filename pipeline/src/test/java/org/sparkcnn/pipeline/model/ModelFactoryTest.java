package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.error.BadInputException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFactoryTest {

    private static DataSet batch(int n, int classes) {
        Nd4j.getRandom().setSeed(1);
        var labels = Nd4j.zeros(n, classes);
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, i % classes, 1.0);
        }
        return new DataSet(Nd4j.rand(n, 3, 64, 64), labels);
    }

    private static void buildsAndSteps(PipelineConfig config, int classes) {
        Network net = ModelFactory.create(config.model(), 64, 64, 3, classes, config.train(), 7);
        DataSet ds = batch(2, classes);
        var before = net.params().dup();
        net.fit(ds);
        assertTrue(Double.isFinite(net.score(ds)), "finite loss");
        assertFalse(before.equals(net.params()), "one step changed the parameters");
        assertArrayEquals(new long[]{2, classes}, net.output(ds.getFeatures()).shape());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet", "mnist", "food101", "arctic", "alexnet", "vgg16", "resnet50"})
    void everyNamedArchitectureBuildsFor64x64x3AndRunsOneStep(String architecture) {
        buildsAndSteps(ConfigLoader.load(null, List.of("model.architecture=" + architecture)), 3);
    }

    @Test
    void customLayersFromConfig() {
        PipelineConfig c = ConfigLoader.load(null, List.of("model.architecture=custom", "model.layers=["
                + "{type = conv, filters = 8, kernel = 3, padding = same, activation = relu},"
                + "{type = batch-norm}, {type = pool, size = 2}, {type = dropout, rate = 0.25},"
                + "{type = conv, filters = 4, kernel = 3, stride = 2}, {type = dense, units = 16, activation = tanh}]"));
        assertEquals(6, c.model().layers().size());
        MultiLayerNetwork net = new MultiLayerNetwork(ModelFactory.build(c.model(), 64, 64, 3, 3, c.train(), 7));
        net.init();
        assertEquals(7, net.getnLayers(), "six layers and the output layer");
        buildsAndSteps(c, 3);
    }

    @Test
    void binaryLossNeedsTwoClasses() {
        PipelineConfig binary = ConfigLoader.load(null, List.of("train.loss=binary", "train.optimizer=sgd",
                "train.momentum=0", "train.gradient-normalization=clip-l2-per-layer", "train.weight-decay=0.0001"));
        buildsAndSteps(binary, 2);
        BadInputException e = assertThrows(BadInputException.class,
                () -> ModelFactory.build(binary.model(), 64, 64, 3, 3, binary.train(), 7));
        assertTrue(e.getMessage().contains("train.loss"), e.getMessage());
    }

    @Test
    void graphsRoundTripThroughModelBytes() throws Exception {
        PipelineConfig c = ConfigLoader.load(null, List.of("model.architecture=resnet50"));
        Network net = ModelFactory.create(c.model(), 64, 64, 3, 3, c.train(), 7);
        assertTrue(net.isGraph());
        Network back = Network.read(net.toBytes(true), true);
        assertTrue(back.isGraph());
        assertEquals(net.params(), back.params());
        Network mln = ModelFactory.create(ConfigLoader.load(null, List.of()).model(), 32, 32, 3, 3, c.train(), 7);
        assertFalse(Network.read(mln.toBytes(false), false).isGraph());
    }

    @Test
    void sameSeedSameInitialWeights() {
        PipelineConfig c = ConfigLoader.load(null, List.of());
        MultiLayerNetwork a = new MultiLayerNetwork(ModelFactory.build(c.model(), 32, 32, 3, 4, c.train(), 11));
        MultiLayerNetwork b = new MultiLayerNetwork(ModelFactory.build(c.model(), 32, 32, 3, 4, c.train(), 11));
        a.init();
        b.init();
        assertEquals(a.params(), b.params());
    }
}
