package org.sparkcnn.pipeline.input;

import scala.runtime.AbstractFunction1;

import java.io.Serializable;

/** Keeps the partitions of one round (for Spark's {@code PartitionPruningRDD}). */
final class RoundFilter extends AbstractFunction1<Object, Object> implements Serializable {
    private final int round;
    private final int workers;

    RoundFilter(int round, int workers) {
        this.round = round;
        this.workers = workers;
    }

    @Override
    public Object apply(Object partition) {
        return ((Integer) partition) / workers == round;
    }
}
