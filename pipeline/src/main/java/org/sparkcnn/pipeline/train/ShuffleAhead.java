package org.sparkcnn.pipeline.train;

import org.apache.spark.ShuffleDependency;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;

/**
 * Runs the map stage of an upcoming epoch's shuffle in the background (Spark's {@code submitMapStage}): the
 * reading of its shards and the writing of its minibatches overlap the current epoch's evaluation and metric
 * writes, and the epoch's first job finds the shuffle output registered and skips the stage (or waits for it, if it
 * is still running). Nothing else changes: the same RDD is trained on either way.
 */
final class ShuffleAhead {
    private final Object input;
    private final SimpleFutureAction<?> mapStage;

    private ShuffleAhead(Object input, SimpleFutureAction<?> mapStage) {
        this.input = input;
        this.mapStage = mapStage;
    }

    /** Starts the map stage of {@code shuffled} (an RDD whose first dependency is its shuffle) for {@code input}. */
    static ShuffleAhead start(JavaSparkContext sc, Object input, RDD<?> shuffled) {
        ShuffleDependency<?, ?, ?> shuffle = (ShuffleDependency<?, ?, ?>) shuffled.dependencies().head();
        return new ShuffleAhead(input, sc.sc().submitMapStage(shuffle));
    }

    /** True when this was started for {@code candidate} (the same object). */
    boolean isFor(Object candidate) {
        return input == candidate;
    }

    /** Cancels the stage if it is still running (an epoch that will not run: early stopping, the trainer closing). */
    void cancel() {
        if (!mapStage.isCompleted()) {
            mapStage.cancel();
        }
    }
}
