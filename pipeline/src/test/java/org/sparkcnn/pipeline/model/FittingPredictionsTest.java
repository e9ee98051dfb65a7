package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training accuracy from the fitting pass: the classes a step predicts are the ones its own forward pass computed
 * before the update. Without dropout or batch normalisation that forward pass equals inference, so the count must
 * equal inference's on the parameters before the step, exactly. This also fails loudly when a DL4J upgrade stops
 * calling {@code onBackwardPass} with the output layer's input set (the count would be -1).
 */
class FittingPredictionsTest {

    static DataSet batch(int n, int classes, int size, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray labels = Nd4j.zeros(n, classes);
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, (i * 7 + 3) % classes, 1.0);
        }
        return new DataSet(Nd4j.rand(n, 3, size, size), labels);
    }

    static MultiLayerNetwork smallStack(boolean dropout) {
        var list = new NeuralNetConfiguration.Builder().seed(11).updater(new Adam(1e-2)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(12).activation(Activation.RELU).build());
        if (dropout) {
            list.layer(new DropoutLayer.Builder(0.5).build());
        }
        var conf = list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(5)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(16, 16, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static long correctByInference(Network net, DataSet ds) {
        int[] predicted = Nd4j.argMax(net.output(ds.getFeatures()), 1).toIntVector();
        int[] truth = Nd4j.argMax(ds.getLabels(), 1).toIntVector();
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            correct += predicted[i] == truth[i] ? 1 : 0;
        }
        return correct;
    }

    private static void countsTheStepsOwnForwardPass(Network net) {
        long changedSomething = 0;
        for (int step = 0; step < 12; step++) {
            DataSet ds = batch(40, 5, 16, 100 + step);
            long expected = correctByInference(net, ds);
            INDArray before = net.params().dup();
            long counted = net.fitCounting(ds);
            assertEquals(expected, counted, "step " + step + ": predictions of the step's forward pass");
            assertNotEquals(before, net.params(), "the step updated the network");
            changedSomething += counted;
        }
        assertTrue(changedSomething > 0, "some examples were classified correctly over the steps");
    }

    @Test
    void multiLayerNetworkCountsMatchInferenceBeforeTheUpdate() {
        countsTheStepsOwnForwardPass(Network.of(smallStack(false)));
    }

    @Test
    void computationGraphCountsMatchInferenceBeforeTheUpdate() {
        countsTheStepsOwnForwardPass(Network.of(FineTunerTest.smallGraph()));
    }

    @Test
    void withDropoutEveryStepStillReportsACount() {
        Network net = Network.of(smallStack(true));
        for (int step = 0; step < 5; step++) {
            DataSet ds = batch(40, 5, 16, 200 + step);
            long counted = net.fitCounting(ds);
            assertTrue(counted >= 0 && counted <= 40, "a count of the minibatch's examples: " + counted);
        }
    }

    @Test
    void theListenerSurvivesOtherListenersBeingReplaced() {
        Network net = Network.of(smallStack(false));
        DataSet ds = batch(20, 5, 16, 300);
        assertTrue(net.fitCounting(ds) >= 0);
        net.multiLayer().setListeners(); // someone else resets the listeners
        DataSet next = batch(20, 5, 16, 301);
        assertEquals(correctByInference(net, next), net.fitCounting(next));
    }
}
