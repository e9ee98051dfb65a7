package org.sparkcnn.pipeline.train.averaging;

import java.io.Serializable;
import java.util.List;

/**
 * What a barrier job returns (from worker 0; all workers end with the same network): the averaged parameters and
 * updater state after its last round, the update counter, and its rounds in order.
 */
record BarrierSegment(NetworkState state, int iterationCount, List<BarrierRound> rounds) implements Serializable {
    BarrierSegment {
        rounds = List.copyOf(rounds);
    }
}
