package org.sparkcnn.pipeline.train.distributed;

import org.sparkcnn.pipeline.metrics.RoundMetrics;

import java.util.List;

/**
 * One epoch of distributed training as the workers reported it: the mean minibatch loss, how many examples
 * and minibatches were fitted (successful task attempts only), and the averaging rounds.
 */
public record EpochFit(double meanLoss, long examples, long minibatches, List<RoundMetrics> rounds) {
    public EpochFit {
        rounds = List.copyOf(rounds);
    }
}
