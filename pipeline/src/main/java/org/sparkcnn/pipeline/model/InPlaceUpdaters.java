package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gives a network an updater that applies its gradient in place ({@link InPlaceGradient}), keeping the updater
 * state it has (Adam's moments, momentum) as it is: the same updates as DL4J's own updater, without the slicing
 * DL4J 1.0.0-M2.1 repeats on every step. Idempotent; a network with no parameters is left alone.
 */
public final class InPlaceUpdaters {
    private InPlaceUpdaters() {}

    /** Installs the in-place updater into a MultiLayerNetwork or ComputationGraph; other models are left alone. */
    public static void install(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            install(net);
        } else if (model instanceof ComputationGraph graph) {
            install(graph);
        }
    }

    static void install(MultiLayerNetwork net) {
        if (net.numParams() == 0) {
            return;
        }
        Updater current = net.getUpdater(false);
        if (!(current instanceof InPlaceMultiLayerUpdater)) {
            net.setUpdater(new InPlaceMultiLayerUpdater(net, stateOf(current == null ? null : current.getStateViewArray())));
        }
    }

    static void install(ComputationGraph graph) {
        if (graph.numParams() == 0) {
            return;
        }
        ComputationGraphUpdater current = graph.getUpdater(false);
        if (!(current instanceof InPlaceGraphUpdater)) {
            graph.setUpdater(new InPlaceGraphUpdater(graph, stateOf(current == null ? null : current.getStateViewArray())));
        }
    }

    /** The state to carry over: null (a fresh state) when there is none yet. */
    private static INDArray stateOf(INDArray state) {
        return state == null || state.isEmpty() ? null : state;
    }
}
