package org.sparkcnn.pipeline.train.averaging;

import org.sparkcnn.pipeline.evaluate.DistributedEvaluator;
import org.sparkcnn.pipeline.model.Network;

import java.io.Serializable;

/**
 * What one averaging round broadcasts: the network's structure (configuration JSON with its counters zeroed, and
 * a key naming it), a copy of its parameters and updater state, and the update counters. Copies, because in local
 * mode the tasks read this very object, and a task of an aborted round may still be reading it after the driver
 * has moved on. A record is not {@link AutoCloseable}, so Spark's clean-up of the broadcast never closes the arrays
 * (it closes {@code AutoCloseable} broadcast values; see {@link DistributedEvaluator}).
 */
public record RoundModel(String structureKey, String structureJson, boolean graph, NetworkState state, int iterationCount,
                  int epochCount) implements Serializable {

    static RoundModel of(Network network, String structureKey, String structureJson) {
        return new RoundModel(structureKey, structureJson, network.isGraph(), NetworkState.copyOf(network),
                network.iterationCount(), network.epochCount());
    }

    /** Puts this round's starting point into {@code worker}: parameters, updater state and counters. */
    void applyTo(Network worker) {
        state.copyTo(worker);
        worker.setIterationCount(iterationCount);
        worker.setEpochCount(epochCount);
    }
}
