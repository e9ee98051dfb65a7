package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkcnn.pipeline.config.PipelineConfig.Loss;
import org.sparkcnn.pipeline.config.PipelineConfig.ModelConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;
import org.sparkcnn.pipeline.error.BadInputException;

import java.util.List;

/**
 * The Keras tutorials' fine-tuning step on a pretrained network, with DL4J's {@link TransferLearning}: the layers
 * up to {@code model.freeze-up-to} become a frozen feature extractor, the output layer is always replaced by a new
 * one for this run's classes with the configured loss (even when the class count matches, the old units mean
 * other classes), and every trainable layer gets {@code train.optimizer} at the fine-tune learning rate.
 * The same base network, settings and seed give the same network.
 */
public final class FineTuner {
    private FineTuner() {}

    public static Network fineTune(Network base, ModelConfig model, TrainConfig train, int numClasses, long seed) {
        if (train.loss() == Loss.BINARY && numClasses != 2) {
            throw new BadInputException("train.loss = binary needs exactly 2 classes; this corpus has " + numClasses
                    + " (use train.loss = categorical)");
        }
        LayerOrder order = LayerOrder.of(base);
        int freezeUpTo = model.freezeUpTo().isEmpty() ? -1 : order.resolveFreezePoint(model.freezeUpTo());
        FineTuneConfiguration.Builder fineTune = new FineTuneConfiguration.Builder()
                .updater(ModelFactory.updater(train, model.learningRate(train)))
                .seed(seed);
        if (train.l2() > 0) {
            fineTune.l2(train.l2());
        }
        if (train.weightDecay() > 0) {
            fineTune.weightDecay(train.weightDecay());
        }
        // The new output layer's weights are drawn from ND4J's global generator.
        Nd4j.getRandom().setSeed(seed);
        return base.isGraph()
                ? Network.of(graph(base.graph(), order, freezeUpTo, fineTune.build(), train.loss(), numClasses))
                : Network.of(multiLayer(base.multiLayer(), freezeUpTo, fineTune.build(), train.loss(), numClasses));
    }

    private static MultiLayerNetwork multiLayer(MultiLayerNetwork base, int freezeUpTo, FineTuneConfiguration fineTune,
                                                Loss loss, int numClasses) {
        int last = base.getnLayers() - 1;
        Layer oldOutput = base.getLayerWiseConfigurations().getConf(last).getLayer();
        InputPreProcessor preProcessor = base.getLayerWiseConfigurations().getInputPreProcess(last);
        TransferLearning.Builder builder = new TransferLearning.Builder(base).fineTuneConfiguration(fineTune);
        if (freezeUpTo >= 0) {
            builder.setFeatureExtractor(freezeUpTo);
        }
        builder.removeOutputLayer().addLayer(outputLayer(oldOutput, String.valueOf(last), loss, numClasses));
        if (preProcessor != null) {
            builder.setInputPreProcessor(last, preProcessor.clone());
        }
        return builder.build();
    }

    private static ComputationGraph graph(ComputationGraph base, LayerOrder order, int freezeUpTo,
                                          FineTuneConfiguration fineTune, Loss loss, int numClasses) {
        List<String> outputs = base.getConfiguration().getNetworkOutputs();
        if (outputs.size() != 1) {
            throw new BadInputException("model.init: the pretrained graph has " + outputs.size() + " outputs " + outputs
                    + "; fine-tuning needs exactly one");
        }
        String out = outputs.get(0);
        GraphVertex vertex = base.getConfiguration().getVertices().get(out);
        if (!(vertex instanceof LayerVertex layerVertex)) {
            throw new BadInputException("model.init: the pretrained graph's output '" + out + "' is not a layer");
        }
        List<String> inputs = base.getConfiguration().getVertexInputs().get(out);
        TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(base).fineTuneConfiguration(fineTune);
        if (freezeUpTo >= 0) {
            builder.setFeatureExtractor(order.name(freezeUpTo));
        }
        builder.removeVertexKeepConnections(out)
                .addLayer(out, outputLayer(layerVertex.getLayerConf().getLayer(), out, loss, numClasses),
                        layerVertex.getPreProcessor() == null ? null : layerVertex.getPreProcessor().clone(),
                        inputs.toArray(String[]::new));
        return builder.build();
    }

    /** A fresh output layer with the old one's input width, this run's class count and the configured loss. */
    private static OutputLayer outputLayer(Layer old, String name, Loss loss, int numClasses) {
        if (!(old instanceof FeedForwardLayer ff) || ff.getNIn() <= 0) {
            throw new BadInputException("model.init: the pretrained network's output layer '" + name + "' ("
                    + old.getClass().getSimpleName() + ") has no input width to attach a new output layer to; "
                    + "use a network that ends in a dense output layer");
        }
        OutputLayer.Builder b = loss == Loss.BINARY
                ? new OutputLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID)
                : new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX);
        return b.nIn(ff.getNIn()).nOut(numClasses).weightInit(WeightInit.XAVIER).name(old.getLayerName()).build();
    }
}
