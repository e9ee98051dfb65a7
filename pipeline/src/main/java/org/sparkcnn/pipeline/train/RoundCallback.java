package org.sparkcnn.pipeline.train;

import org.sparkcnn.pipeline.metrics.RoundMetrics;
import org.sparkcnn.pipeline.model.Network;

/** Called on the driver after every averaging round, with the averaged network (for mid-epoch checkpoints). */
@FunctionalInterface
public interface RoundCallback {
    RoundCallback NONE = (round, totalRounds, network) -> { };

    void afterRound(RoundMetrics round, int totalRounds, Network network);
}
