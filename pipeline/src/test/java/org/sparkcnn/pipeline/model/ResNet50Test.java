package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our ResNet-50 is torchvision's: the figures below are torchvision 0.14's {@code resnet50(num_classes=16)}
 * (parameters, batch normalisation running statistics, convolution and normalisation counts), and the stage sizes
 * follow from its strides.
 */
class ResNet50Test {
    private static final long TORCHVISION_PARAMETERS = 23_540_816;       // sum of p.numel() for p in parameters()
    private static final long TORCHVISION_RUNNING_STATISTICS = 53_120;   // running_mean and running_var elements

    @Test
    void hasTorchvisionsLayersParametersAndStageSizes() {
        ComputationGraph net = new ComputationGraph(ResNet50.configuration(64, 64, 3, 16, new Adam(1e-3), 0, 5));
        net.init();
        // DL4J keeps the running mean and variance among the parameters
        assertEquals(TORCHVISION_PARAMETERS + TORCHVISION_RUNNING_STATISTICS, net.numParams());
        int convolutions = 0;
        int normalisations = 0;
        for (GraphVertex v : net.getVertices()) {
            if (v.hasLayer() && v.getLayer().conf().getLayer() instanceof ConvolutionLayer conv) {
                convolutions++;
                assertFalse(conv.hasBias(), v.getVertexName() + " has no bias: batch normalisation follows it");
                double fanOut = conv.getNOut() * conv.getKernelSize()[0] * conv.getKernelSize()[1];
                double std = v.getLayer().getParam("W").stdNumber().doubleValue();
                assertEquals(Math.sqrt(2 / fanOut), std, 0.15 * Math.sqrt(2 / fanOut), v.getVertexName() + " Kaiming fan-out");
            }
            if (v.hasLayer() && v.getLayer().conf().getLayer() instanceof BatchNormalization) {
                normalisations++;
            }
        }
        assertEquals(53, convolutions);
        assertEquals(53, normalisations);

        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64);
        Map<String, INDArray> acts = net.feedForward(new INDArray[] {x}, false, false);
        assertArrayEquals(new long[] {2, 64, 16, 16}, acts.get("maxpool").shape(), "stem: 64 -> 32 -> 16");
        assertArrayEquals(new long[] {2, 256, 16, 16}, acts.get("layer1.2.relu3").shape(), "stage 1 keeps the size");
        assertArrayEquals(new long[] {2, 512, 8, 8}, acts.get("layer2.3.relu3").shape());
        assertArrayEquals(new long[] {2, 1024, 4, 4}, acts.get("layer3.5.relu3").shape());
        assertArrayEquals(new long[] {2, 2048, 2, 2}, acts.get("layer4.2.relu3").shape(), "torchvision's 2x2 at 64x64");
        assertArrayEquals(new long[] {2, 16}, acts.get("fc").shape());

        OneDnnHelpers.install(net);
        for (GraphVertex v : net.getVertices()) {
            if (v.hasLayer()) {
                assertEquals(v.getVertexName().equals("conv1"), OneDnnHelpers.skipsInputGradient(v.getLayer()),
                        v.getVertexName() + ": only the stem's input gradient goes unread");
            }
        }
    }

    @Test
    void theSeedFixesTheInitialWeights() {
        ComputationGraph a = new ComputationGraph(ResNet50.configuration(32, 32, 3, 4, new Adam(1e-3), 0, 9));
        ComputationGraph b = new ComputationGraph(ResNet50.configuration(32, 32, 3, 4, new Adam(1e-3), 0, 9));
        a.init();
        b.init();
        assertEquals(a.params(), b.params());
        assertTrue(a.getLayer("fc").getParam("W").amaxNumber().doubleValue() <= 1 / Math.sqrt(2048));
    }
}
