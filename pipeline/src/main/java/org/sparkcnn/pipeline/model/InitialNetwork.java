package org.sparkcnn.pipeline.model;

import org.sparkcnn.pipeline.config.PipelineConfig.ModelConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.PrintStream;

/**
 * The network a new run starts from: the named architecture, randomly initialised ({@link ModelFactory}), or with
 * {@code model.init} the pretrained network, checked against the input shape and fine-tuned ({@link FineTuner}).
 * A resumed run never comes here: its own checkpoint takes precedence.
 */
public final class InitialNetwork {
    private InitialNetwork() {}

    public static Network create(Storage storage, ModelConfig model, int height, int width, int channels,
                                 int numClasses, TrainConfig train, long seed, PrintStream out) {
        if (!model.pretrained()) {
            return ModelFactory.create(model, height, width, channels, numClasses, train, seed);
        }
        Network base = PretrainedModelLoader.load(storage, model.init());
        InputShapeCheck.require(base, channels, height, width, model.init());
        Network tuned = FineTuner.fineTune(base, model, train, numClasses, seed);
        out.printf("model: fine-tuning %s from %s: %d layers, %s frozen, new output layer for %d classes, learning rate %s%n",
                tuned.isGraph() ? "ComputationGraph" : "MultiLayerNetwork", model.init(), LayerOrder.of(tuned).size(),
                model.freezeUpTo().isEmpty() ? "none" : "up to '" + model.freezeUpTo() + "' ("
                        + FrozenLayers.frozenParams(tuned) + " parameters)", numClasses, model.learningRate(train));
        return tuned;
    }
}
