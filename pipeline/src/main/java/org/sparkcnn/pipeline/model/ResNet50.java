package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * ResNet-50 as He et al. define it and torchvision builds it (the "v1.5" bottleneck: the stride in the 3x3
 * convolution), as a DL4J ComputationGraph: a 7x7 stride-2 stem and a 3x3 stride-2 max pool, then stages of 3, 4, 6
 * and 3 bottlenecks at 64, 128, 256 and 512 channels (times 4 out), the first of stages 2 to 4 at stride 2, a global
 * average pool and a softmax classifier. Convolutions have no bias (batch normalisation follows each); batch
 * normalisation with epsilon 1e-5 and running averages that keep 0.9 a step (torchvision's momentum 0.1).
 * Initialised as torchvision does: convolution weights normal with standard deviation sqrt(2 / fan-out) (Kaiming,
 * ReLU gain), batch normalisation at gamma 1, beta 0, the classifier's weights uniform in +-1/sqrt(2048) and its
 * biases zero.
 *
 * <p>DL4J's zoo {@code ResNet50} is not this network: it strides the first block of stage 1 as well, so every later
 * stage runs at half the height and width (a quarter of the positions: at 64x64 input its last stage is 1x1, where
 * this one's is 2x2, as torchvision's), and it puts biases into every convolution before batch normalisation.
 *
 * <p>Layer names follow torchvision's ({@code conv1}, {@code bn1}, {@code layer3.2.conv2}, {@code fc}), so
 * a reader can match them to the reference.
 */
final class ResNet50 {
    private static final int[] BLOCKS = {3, 4, 6, 3};
    private static final int[] WIDTHS = {64, 128, 256, 512};
    private static final int EXPANSION = 4;

    private ResNet50() {}

    /** The configuration for {@code channels x height x width} inputs and {@code numClasses} outputs. */
    static ComputationGraphConfiguration configuration(int height, int width, int channels, int numClasses,
                                                       IUpdater updater, double l2, long seed) {
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder().seed(seed).updater(updater)
                .convolutionMode(ConvolutionMode.Truncate);
        if (l2 > 0) {
            base.l2(l2);
        }
        ComputationGraphConfiguration.GraphBuilder g = base.graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutional(height, width, channels));
        String x = convBn(g, "conv1", "bn1", channels, 64, 7, 2, 3, "input");
        x = relu(g, "relu", x);
        g.addLayer("maxpool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
                .padding(1, 1).build(), x);
        x = "maxpool";
        int in = 64;
        for (int stage = 0; stage < BLOCKS.length; stage++) {
            for (int block = 0; block < BLOCKS[stage]; block++) {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                x = bottleneck(g, "layer" + (stage + 1) + "." + block, x, in, WIDTHS[stage], stride);
                in = WIDTHS[stage] * EXPANSION;
            }
        }
        g.addLayer("avgpool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), x);
        double bound = 1 / Math.sqrt(in);
        g.addLayer("fc", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(numClasses)
                .activation(Activation.SOFTMAX).weightInit(new WeightInitDistribution(new UniformDistribution(-bound, bound)))
                .biasInit(0).build(), "avgpool");
        return g.setOutputs("fc").build();
    }

    /** One bottleneck: 1x1 to {@code width}, 3x3 at {@code stride}, 1x1 to 4 x width, plus the shortcut; then ReLU. */
    private static String bottleneck(ComputationGraphConfiguration.GraphBuilder g, String name, String input, int in,
                                     int width, int stride) {
        String x = relu(g, name + ".relu1", convBn(g, name + ".conv1", name + ".bn1", in, width, 1, 1, 0, input));
        x = relu(g, name + ".relu2", convBn(g, name + ".conv2", name + ".bn2", width, width, 3, stride, 1, x));
        x = convBn(g, name + ".conv3", name + ".bn3", width, width * EXPANSION, 1, 1, 0, x);
        String shortcut = input;
        if (stride != 1 || in != width * EXPANSION) {
            shortcut = convBn(g, name + ".downsample.0", name + ".downsample.1", in, width * EXPANSION, 1, stride, 0,
                    input);
        }
        g.addVertex(name + ".add", new ElementWiseVertex(ElementWiseVertex.Op.Add), x, shortcut);
        return relu(g, name + ".relu3", name + ".add");
    }

    private static String convBn(ComputationGraphConfiguration.GraphBuilder g, String conv, String bn, int in, int out,
                                 int kernel, int stride, int padding, String input) {
        double std = Math.sqrt(2.0 / (out * kernel * kernel));   // Kaiming normal, fan-out, ReLU gain
        g.addLayer(conv, new ConvolutionLayer.Builder(kernel, kernel).stride(stride, stride).padding(padding, padding)
                .nIn(in).nOut(out).hasBias(false).activation(Activation.IDENTITY)
                .weightInit(new WeightInitDistribution(new NormalDistribution(0, std))).build(), input);
        g.addLayer(bn, new BatchNormalization.Builder().nOut(out).eps(1e-5).decay(0.9).build(), conv);
        return bn;
    }

    private static String relu(ComputationGraphConfiguration.GraphBuilder g, String name, String input) {
        g.addLayer(name, new ActivationLayer.Builder().activation(Activation.RELU).build(), input);
        return name;
    }
}
