package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's ComputationGraph updater, given its own graph's gradient in place ({@link InPlaceGradient}), with Adam
 * computed in Java ({@link JavaAdamUpdater}) where the backend allows.
 */
final class InPlaceGraphUpdater extends ComputationGraphUpdater {
    private boolean kernelsInstalled;

    InPlaceGraphUpdater(ComputationGraph graph, INDArray updaterState) {
        super(graph, updaterState);
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                    LayerWorkspaceMgr workspaceMgr) {
        if (!kernelsInstalled) {   // here, not in the constructor: a block creates its updater on first use
            JavaAdamUpdater.installInto(getUpdaterBlocks());
            kernelsInstalled = true;
        }
        super.update(InPlaceGradient.of(gradient, getFlattenedGradientsView()), iteration, epoch, batchSize,
                workspaceMgr);
    }
}
