package org.sparkcnn.pipeline.train.distributed;

import org.sparkcnn.pipeline.metrics.RoundMetrics;
import org.sparkcnn.pipeline.model.Network;

/**
 * Called on the driver after every averaging round, in round order and never concurrently (for round lines and
 * mid-epoch checkpoints). The network it is given is the averaged network after that round when
 * {@link #needsNetworkAfter} said so for the round; for other rounds it may be an earlier or a later round's: the
 * barrier exchange runs several rounds in one job and reports them from Spark's listener thread while the job runs
 * (as executor heartbeats bring them) and the rest when it ends.
 */
@FunctionalInterface
public interface RoundCallback {
    RoundCallback NONE = (round, totalRounds, network) -> { };

    void afterRound(RoundMetrics round, int totalRounds, Network network);

    /** Whether {@link #afterRound} for 1-based round {@code round} of {@code totalRounds} will use the network. */
    default boolean needsNetworkAfter(int round, int totalRounds) {
        return false;
    }
}
