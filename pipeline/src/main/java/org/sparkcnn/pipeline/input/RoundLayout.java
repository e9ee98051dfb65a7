package org.sparkcnn.pipeline.input;

import org.apache.spark.Partitioner;

/**
 * Where minibatch {@code i} of an epoch goes. With {@code n} minibatches, {@code W} workers and averaging every
 * {@code f} minibatches, each full round takes {@code W * f} consecutive minibatches and gives worker {@code w}
 * the {@code w}-th run of {@code f}. The remainder ({@code m < W * f}) forms a last round split as evenly as
 * possible: the first {@code m mod W} workers get {@code floor(m / W) + 1} consecutive minibatches, the others
 * {@code floor(m / W)}, so its slowest worker fits at most one more than the others. Partition
 * {@code round * W + worker} holds exactly the minibatches one worker fits between two averagings, never more
 * than {@code f}, so nothing is left over.
 */
public final class RoundLayout extends Partitioner {
    private final int workers;
    private final int frequency;
    private final long fullRounds;
    private final long remainder;
    private final int rounds;

    public RoundLayout(int workers, int frequency, long minibatches) {
        this.workers = workers;
        this.frequency = frequency;
        long perRound = (long) workers * frequency;
        this.fullRounds = minibatches / perRound;
        this.remainder = minibatches % perRound;
        this.rounds = (int) Math.max(1, fullRounds + (remainder > 0 ? 1 : 0));
    }

    public int rounds() {
        return rounds;
    }

    int workers() {
        return workers;
    }

    /** The partition of minibatch {@code index}. */
    int slot(long index) {
        long perRound = (long) workers * frequency;
        long round = index / perRound;
        if (round < fullRounds) {
            return (int) (round * workers + (index % perRound) / frequency);
        }
        long j = index - fullRounds * perRound;
        long base = remainder / workers;
        long bigger = remainder % workers;
        long inBigger = bigger * (base + 1);
        long worker = j < inBigger ? j / (base + 1) : bigger + (j - inBigger) / base;
        return (int) (fullRounds * workers + worker);
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
