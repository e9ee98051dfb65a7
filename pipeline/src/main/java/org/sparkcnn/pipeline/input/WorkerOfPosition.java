package org.sparkcnn.pipeline.input;

import org.apache.spark.Partitioner;

/**
 * Barrier exchange's layout of an epoch: one partition per worker, holding every minibatch {@link RoundLayout}
 * gives that worker in any round (keys are positions in the epoch, sorted within the partition, so a worker reads
 * its rounds in order).
 */
public final class WorkerOfPosition extends Partitioner {
    private final RoundLayout layout;

    WorkerOfPosition(RoundLayout layout) {
        this.layout = layout;
    }

    @Override
    public int numPartitions() {
        return layout.workers();
    }

    @Override
    public int getPartition(Object position) {
        return layout.slot((Long) position) % layout.workers();
    }

    /** The 0-based averaging round of the minibatch at {@code position}. */
    public int roundOf(long position) {
        return layout.slot(position) / layout.workers();
    }
}
