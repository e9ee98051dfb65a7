package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Evaluation's one-pass loss equals DL4J's {@code score} (a second forward pass), regularisation included. */
class OutputLossTest {

    private static void sameAsScore(Network net, DataSet ds) {
        OutputLoss loss = OutputLoss.of(net);
        assertNotNull(loss, "a softmax output layer");
        INDArray output = net.output(ds.getFeatures());
        double onePass = loss.lossSum(net, output, ds.getLabels()) / ds.numExamples();
        double score = net.score(ds);
        assertEquals(score, onePass, 1e-5 * Math.max(1, Math.abs(score)), "mean loss per example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet", "mnist", "food101", "arctic"})
    void lessonNetworks(String architecture) {
        PipelineConfig c = ConfigLoader.load(null, List.of("model.architecture=" + architecture));
        Network net = ModelFactory.create(c.model(), 64, 64, 3, 4, c.train(), 7);
        DataSet ds = FittingPredictionsTest.batch(6, 4, 64, 1);
        sameAsScore(net, ds);
        net.fit(ds); // and after a step, with updated weights
        sameAsScore(net, FittingPredictionsTest.batch(6, 4, 64, 2));
    }

    @Test
    void graphWithL2() {
        Network net = Network.of(FineTunerTest.smallGraph());
        sameAsScore(net, FittingPredictionsTest.batch(9, 5, 16, 3));
    }

    @Test
    void negativeLogLikelihoodWithL2() {
        var conf = new NeuralNetConfiguration.Builder().seed(3).l2(1e-3).list()
                .layer(new DenseLayer.Builder().nOut(10).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(5)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(16, 16, 3)).build();
        MultiLayerNetwork mln = new MultiLayerNetwork(conf);
        mln.init();
        sameAsScore(Network.of(mln), FittingPredictionsTest.batch(7, 5, 16, 4));
    }

    @Test
    void notSoftmaxMeansNoShortcut() {
        var conf = new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new DenseLayer.Builder().nOut(10).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(5)
                        .activation(Activation.SIGMOID).build())
                .setInputType(InputType.convolutional(16, 16, 3)).build();
        MultiLayerNetwork mln = new MultiLayerNetwork(conf);
        mln.init();
        assertNull(OutputLoss.of(Network.of(mln)));
    }
}
