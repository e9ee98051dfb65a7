package org.sparkcnn.pipeline.input;

import org.apache.spark.rdd.RDD;

/**
 * An epoch's minibatches laid out for its averaging rounds by one shuffle: {@link RoundPartitions} (a partition per
 * round and worker, for a job per round) or {@link WorkerPartitions} (a partition per worker, for barrier jobs).
 */
public interface EpochShuffle {
    /** The shuffled RDD; its first dependency is the epoch's shuffle. */
    RDD<?> shuffled();
}
