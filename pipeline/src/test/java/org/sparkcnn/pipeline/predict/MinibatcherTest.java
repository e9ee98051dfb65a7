package org.sparkcnn.pipeline.predict;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkcnn.pipeline.model.Network;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Predict's minibatches give every input the row it would get alone, in input order, failures in place. */
class MinibatcherTest {
    private static final List<String> CLASSES = List.of("apple", "beignet", "churro", "donut");

    private static Network network() {
        var conf = new NeuralNetConfiguration.Builder().seed(5).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return Network.of(net);
    }

    @Test
    void everyInputGetsItsOwnRowInOrderWithFailuresInPlace() {
        Network net = network();
        Nd4j.getRandom().setSeed(3);
        List<PreparedInput> inputs = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            inputs.add(i % 4 == 2 ? PreparedInput.failed("bad-" + i, "UNREADABLE: test")
                    : PreparedInput.of("img-" + i, Nd4j.rand(DataType.FLOAT, 1, 3, 8, 8)));
        }
        Minibatcher batches = new Minibatcher(net, CLASSES, 3);
        inputs.forEach(batches::add);
        List<Prediction> rows = batches.finish();
        assertEquals(inputs.size(), rows.size());
        for (int i = 0; i < inputs.size(); i++) {
            PreparedInput in = inputs.get(i);
            Prediction row = rows.get(i);
            assertEquals(in.path(), row.path(), "row " + i + " stays in its place");
            if (in.failure() != null) {
                assertEquals("UNREADABLE: test", row.error());
                continue;
            }
            assertNull(row.error());
            INDArray alone = net.output(in.input()).castTo(DataType.DOUBLE);
            Prediction expected = PredictJob.predictionOf(in.path(), alone.toDoubleVector(), CLASSES);
            assertEquals(expected.topClasses(), row.topClasses(), "row " + i);
            for (int k = 0; k < expected.topProbabilities().size(); k++) {
                assertEquals(expected.topProbabilities().get(k), row.topProbabilities().get(k), 1e-6);
            }
        }
    }

    @Test
    void aMinibatchMustHoldSomething() {
        assertThrows(IllegalArgumentException.class, () -> new Minibatcher(network(), CLASSES, 0));
    }
}
