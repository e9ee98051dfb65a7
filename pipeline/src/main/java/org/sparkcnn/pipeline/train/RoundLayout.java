package org.sparkcnn.pipeline.train;

import org.apache.spark.Partitioner;

/**
 * Where minibatch {@code i} of an epoch goes: round {@code i / (workers * frequency)}, and within the round
 * worker {@code (i mod (workers * frequency)) / frequency}. Partition {@code round * workers + worker} holds
 * exactly the minibatches one worker fits between two averagings, never more, so nothing is left over.
 */
final class RoundLayout extends Partitioner {
    private final int workers;
    private final int frequency;
    private final int rounds;

    RoundLayout(int workers, int frequency, long minibatches) {
        this.workers = workers;
        this.frequency = frequency;
        this.rounds = (int) Math.max(1, (minibatches + (long) workers * frequency - 1) / ((long) workers * frequency));
    }

    int rounds() {
        return rounds;
    }

    int workers() {
        return workers;
    }

    /** The partition of minibatch {@code index}. */
    int slot(long index) {
        long perRound = (long) workers * frequency;
        return (int) ((index / perRound) * workers + (index % perRound) / frequency);
    }

    @Override
    public int numPartitions() {
        return rounds * workers;
    }

    @Override
    public int getPartition(Object key) {
        return (Integer) key;
    }
}
