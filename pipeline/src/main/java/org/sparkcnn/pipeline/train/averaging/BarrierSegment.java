package org.sparkcnn.pipeline.train.averaging;

import java.io.Serializable;
import java.util.List;

/**
 * What a barrier job returns (from worker 0; all workers end with the same network): the averaged parameters and
 * updater state after its last round, or in a local master the key it was handed over under ({@link InJvmHandOff};
 * exactly one of the two is set), the update counter, and its rounds in order.
 */
record BarrierSegment(NetworkState state, String handOff, int iterationCount, List<BarrierRound> rounds)
        implements Serializable {
    BarrierSegment {
        if ((state == null) == (handOff == null)) {
            throw new IllegalArgumentException("a barrier segment carries its state or a hand-off key, one of them");
        }
        rounds = List.copyOf(rounds);
    }

    /** The state, taken from this JVM's hand-off when it was handed over. */
    NetworkState resolve() {
        return state != null ? state : InJvmHandOff.take(handOff);
    }
}
