package org.sparkcnn.pipeline.input;

import org.apache.spark.ShuffleDependency;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs the map stage of an upcoming epoch's shuffle in the background (Spark's {@code submitMapStage}): the
 * reading of its shards and the writing of its minibatches overlap the current epoch's evaluation and metric
 * writes, and the epoch's first job finds the shuffle output registered and skips the stage (or waits for it, if it
 * is still running). Nothing else changes: the same RDD is trained on either way.
 */
public final class ShuffleAhead {
    private final IndexedMinibatches input;
    private final EpochShuffle laidOut;
    private final SimpleFutureAction<?> mapStage;

    private ShuffleAhead(IndexedMinibatches input, EpochShuffle laidOut, SimpleFutureAction<?> mapStage) {
        this.input = input;
        this.laidOut = laidOut;
        this.mapStage = mapStage;
    }

    /** Starts the map stage of {@code laidOut}, the shuffle of {@code input}. */
    public static ShuffleAhead start(JavaSparkContext sc, IndexedMinibatches input, EpochShuffle laidOut) {
        ShuffleDependency<?, ?, ?> shuffle = (ShuffleDependency<?, ?, ?>) laidOut.shuffled().dependencies().head();
        return new ShuffleAhead(input, laidOut, sc.sc().submitMapStage(shuffle));
    }

    /** True when this was started for {@code candidate} (the same object). */
    public boolean isFor(IndexedMinibatches candidate) {
        return input == candidate;
    }

    public EpochShuffle laidOut() {
        return laidOut;
    }

    /** Cancels the stage if it is still running (an epoch that will not run: early stopping, the trainer closing). */
    public void cancel() {
        if (!mapStage.isCompleted()) {
            mapStage.cancel();
        }
    }
}
