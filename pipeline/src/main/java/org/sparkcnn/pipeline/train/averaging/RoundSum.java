package org.sparkcnn.pipeline.train.averaging;

import java.io.Serializable;

/**
 * The sum of what the workers of one round return (added in worker order, {@link WorkerOrderSum}): parameters and
 * updater state summed over the workers that fitted at least one minibatch, their minibatch losses, examples,
 * minibatches and correctly classified examples (-1 when a worker could not count them), and the most minibatches any one worker fitted (the number of updates the round advances the
 * network by).
 */
record RoundSum(NetworkState state, double lossSum, long examples, long minibatches, long correct, int workers,
                long mostMinibatches) implements Serializable {

    static final RoundSum EMPTY = new RoundSum(null, 0, 0, 0, 0, 0, 0);

    /** Both sums together; may reuse (add into) this sum's arrays, as Spark's aggregate allows. */
    RoundSum plus(RoundSum other) {
        if (other.workers == 0) {
            return this;
        }
        if (workers == 0) {
            return other;
        }
        return new RoundSum(state.addi(other.state), lossSum + other.lossSum, examples + other.examples,
                minibatches + other.minibatches, sumCorrect(correct, other.correct), workers + other.workers,
                Math.max(mostMinibatches, other.mostMinibatches));
    }

    static long sumCorrect(long a, long b) {
        return a < 0 || b < 0 ? -1 : a + b;
    }
}
