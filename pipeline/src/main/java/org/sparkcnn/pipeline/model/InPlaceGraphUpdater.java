package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/** DL4J's ComputationGraph updater, given its own graph's gradient in place ({@link InPlaceGradient}). */
final class InPlaceGraphUpdater extends ComputationGraphUpdater {
    InPlaceGraphUpdater(ComputationGraph graph, INDArray updaterState) {
        super(graph, updaterState);
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                    LayerWorkspaceMgr workspaceMgr) {
        super.update(InPlaceGradient.of(gradient, getFlattenedGradientsView()), iteration, epoch, batchSize,
                workspaceMgr);
    }
}
