package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The classes a training step's own forward pass predicted, so training accuracy comes from the fitting pass (as
 * Keras and PyTorch report it: before the step's update, under the step's dropout) instead of a second pass over
 * the training split.
 *
 * <p>DL4J computes the output layer's loss from its input and never keeps the output. When the step's loss is
 * computed, both networks call {@link #onBackwardPass} with the output layer's input still set (the step's forward
 * pass, dropout applied): this applies the output layer alone to it (one small matrix product; the convolutions are
 * not repeated) and keeps the predicted class of each example. {@code FittingPredictionsTest} fails if a DL4J
 * upgrade stops calling it there or clears the input first.
 */
final class FittingPredictions extends BaseTrainingListener {
    private int[] predicted;

    /** Forgets the last step's predictions. */
    void reset() {
        predicted = null;
    }

    /** How many of {@code labels}' (one-hot) rows the last step predicted; -1 when no step reported since reset. */
    long correct(INDArray labels) {
        if (predicted == null) {
            return -1;
        }
        int[] truth = Nd4j.argMax(labels, 1).toIntVector();
        if (truth.length != predicted.length) {
            return -1;
        }
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == predicted[i]) {
                correct++;
            }
        }
        return correct;
    }

    @Override
    public void onBackwardPass(Model model) {
        Layer output = outputLayer(model);
        if (output == null || output.input() == null) {
            predicted = null;
            return;
        }
        INDArray activations = output.activate(false, LayerWorkspaceMgr.noWorkspaces());
        predicted = activations.rank() == 2 ? Nd4j.argMax(activations, 1).toIntVector() : null;
    }

    private static Layer outputLayer(Model model) {
        Layer layer;
        if (model instanceof MultiLayerNetwork net) {
            layer = net.getOutputLayer();
        } else if (model instanceof ComputationGraph graph && graph.getNumOutputArrays() == 1) {
            layer = graph.getOutputLayer(0);
        } else {
            return null;
        }
        return layer instanceof FrozenLayerWithBackprop frozen ? frozen.getInsideLayer() : layer;
    }
}
