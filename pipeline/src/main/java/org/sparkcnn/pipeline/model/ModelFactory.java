package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.sparkcnn.pipeline.config.PipelineConfig.GradientNormalizationName;
import org.sparkcnn.pipeline.config.PipelineConfig.LayerSpec;
import org.sparkcnn.pipeline.config.PipelineConfig.Loss;
import org.sparkcnn.pipeline.config.PipelineConfig.ModelConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;

import java.util.List;
import org.sparkcnn.pipeline.error.BadInputException;

/**
 * Builds the tutorials' networks by name for a given input shape and class count (the Keras lessons'
 * {@code Sequential} models, layer for layer). Convolutions use 'valid' padding as Keras does by default.
 */
public final class ModelFactory {
    private ModelFactory() {}

    /** Architectures built as ComputationGraphs: DL4J zoo's VGG16, and ResNet-50 as torchvision builds it. */
    public static final java.util.Set<String> GRAPHS = java.util.Set.of("vgg16", "resnet50");

    /** The initialised network for a model config: a MultiLayerNetwork, or a ComputationGraph for vgg16/resnet50. */
    public static Network create(ModelConfig model, int height, int width, int channels, int numClasses,
                                 TrainConfig train, long seed) {
        boolean zoo = GRAPHS.contains(model.architecture()) || model.architecture().equals("alexnet");
        if (zoo && train.loss() == Loss.BINARY) {
            throw new BadInputException("train.loss = binary is not available for the zoo architecture '"
                    + model.architecture() + "' (its softmax head is fixed); use train.loss = categorical");
        }
        if (GRAPHS.contains(model.architecture())) {
            int[] shape = {channels, height, width};
            org.deeplearning4j.nn.graph.ComputationGraph graph = switch (model.architecture()) {
                case "vgg16" -> (org.deeplearning4j.nn.graph.ComputationGraph) org.deeplearning4j.zoo.model.VGG16.builder()
                        .numClasses(numClasses).inputShape(shape).seed(seed).updater(updater(train)).build().init();
                default -> resNet50(shape, numClasses, train, seed);
            };
            return Network.of(graph);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(build(model, height, width, channels, numClasses, train, seed));
        net.init();
        return Network.of(net);
    }

    public static MultiLayerConfiguration build(String architecture, int height, int width, int channels,
                                               int numClasses, TrainConfig train, long seed) {
        return build(new ModelConfig(architecture, List.of()), height, width, channels, numClasses, train, seed);
    }

    public static MultiLayerConfiguration build(ModelConfig model, int height, int width, int channels,
                                               int numClasses, TrainConfig train, long seed) {
        String architecture = model.architecture();
        if (architecture.equals("alexnet")) {
            return zooAlexNet(height, width, channels, numClasses, train, seed);
        }
        if (train.loss() == Loss.BINARY && numClasses != 2) {
            throw new BadInputException("train.loss = binary needs exactly 2 classes; this corpus has " + numClasses
                    + " (use train.loss = categorical)");
        }
        NeuralNetConfiguration.Builder base = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .updater(updater(train))
                .l2(train.l2())
                .weightInit(WeightInit.XAVIER);
        if (train.weightDecay() > 0) {
            base.weightDecay(train.weightDecay());
        }
        if (train.gradientNormalization() != GradientNormalizationName.NONE) {
            base.gradientNormalization(GradientNormalization.valueOf(switch (train.gradientNormalization()) {
                case CLIP_L2_PER_LAYER -> "ClipL2PerLayer";
                case CLIP_ELEMENT_WISE -> "ClipElementWiseAbsoluteValue";
                case RENORMALIZE_L2_PER_LAYER -> "RenormalizeL2PerLayer";
                case NONE -> "None";
            })).gradientNormalizationThreshold(train.gradientNormalizationThreshold());
        }
        NeuralNetConfiguration.ListBuilder list = base.list();
        int i = 0;
        switch (architecture) {
            case "lenet" -> {
                list.layer(i++, conv(6, 5, Activation.RELU));
                list.layer(i++, maxPool());
                list.layer(i++, conv(16, 5, Activation.RELU));
                list.layer(i++, maxPool());
                list.layer(i++, dense(120));
                list.layer(i++, dense(84));
            }
            case "mnist" -> {
                list.layer(i++, new ConvolutionLayer.Builder(3, 3).nOut(32).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU_UNIFORM).build());
                list.layer(i++, maxPool());
                list.layer(i++, new DenseLayer.Builder().nOut(100).activation(Activation.RELU)
                        .weightInit(WeightInit.RELU_UNIFORM).build());
            }
            case "food101" -> {
                list.layer(i++, conv(32, 3, Activation.RELU));
                list.layer(i++, maxPool());
                list.layer(i++, conv(32, 3, Activation.RELU));
                list.layer(i++, maxPool());
                list.layer(i++, new DropoutLayer(0.75));
                list.layer(i++, conv(64, 3, Activation.RELU));
                list.layer(i++, maxPool());
                list.layer(i++, new DropoutLayer(0.75));
                list.layer(i++, dense(128));
                list.layer(i++, new DropoutLayer(0.75));
            }
            case "arctic" -> {
                list.layer(i++, conv(32, 3, Activation.RELU));
                list.layer(i++, maxPool());
                list.layer(i++, conv(128, 3, Activation.RELU));
                list.layer(i++, maxPool());
                list.layer(i++, conv(128, 3, Activation.RELU));
                list.layer(i++, maxPool());
                list.layer(i++, conv(128, 3, Activation.RELU));
                list.layer(i++, maxPool());
                list.layer(i++, dense(1024));
            }
            case "custom" -> {
                for (LayerSpec spec : model.layers()) {
                    list.layer(i++, CustomLayers.build(spec));
                }
            }
            default -> throw new BadInputException("model.architecture '" + architecture
                    + "' is not one of lenet, mnist, food101, arctic, alexnet, vgg16, resnet50, custom");
        }
        // binary: two sigmoid units with binary cross-entropy on the one-hot labels (Keras' Dense(1, sigmoid) per class)
        list.layer(i, train.loss() == Loss.BINARY
                ? new OutputLayer.Builder(LossFunctions.LossFunction.XENT).nOut(numClasses).activation(Activation.SIGMOID).build()
                : new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(numClasses).activation(Activation.SOFTMAX).build());
        return list.setInputType(InputType.convolutional(height, width, channels)).build();
    }

    /** ResNet-50 as torchvision builds it (see {@link ResNet50}), with our optimiser and L2. */
    private static org.deeplearning4j.nn.graph.ComputationGraph resNet50(int[] shape, int numClasses, TrainConfig train,
                                                                        long seed) {
        org.deeplearning4j.nn.graph.ComputationGraph net = new org.deeplearning4j.nn.graph.ComputationGraph(
                ResNet50.configuration(shape[1], shape[2], shape[0], numClasses, updater(train), train.l2(), seed));
        net.init();
        return net;
    }

    /**
     * DL4J zoo's AlexNet (randomly initialised; pretrained weights come with transfer learning), sized for the
     * input and class count, with our optimiser.
     */
    private static MultiLayerConfiguration zooAlexNet(int height, int width, int channels, int numClasses,
                                                     TrainConfig train, long seed) {
        return org.deeplearning4j.zoo.model.AlexNet.builder().numClasses(numClasses)
                .inputShape(new int[]{channels, height, width}).seed(seed).updater(updater(train)).build().conf();
    }

    /** Adam, or SGD with Nesterov momentum (DL4J's momentum SGD), at the configured learning rate. */
    static IUpdater updater(TrainConfig train) {
        return updater(train, train.learningRate());
    }

    /** {@code train.optimizer} at the given learning rate. */
    static IUpdater updater(TrainConfig train, double learningRate) {
        return switch (train.optimizer()) {
            case ADAM -> new Adam(learningRate);
            case SGD -> train.momentum() > 0 ? new Nesterovs(learningRate, train.momentum())
                    : new org.nd4j.linalg.learning.config.Sgd(learningRate);
        };
    }

    private static ConvolutionLayer conv(int filters, int kernel, Activation activation) {
        return new ConvolutionLayer.Builder(kernel, kernel).nOut(filters).activation(activation).build();
    }

    private static SubsamplingLayer maxPool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }

    private static DenseLayer dense(int units) {
        return new DenseLayer.Builder().nOut(units).activation(Activation.RELU).build();
    }
}
