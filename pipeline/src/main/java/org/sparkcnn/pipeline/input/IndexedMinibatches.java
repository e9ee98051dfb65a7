package org.sparkcnn.pipeline.input;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

/**
 * An epoch's minibatches keyed by their position in the epoch ({@code 0 .. count-1}), which decides their averaging
 * round and worker ({@link RoundLayout}). The training input computes positions on the driver from the manifest's
 * shard sizes ({@link TrainingData#indexedTrainingEpoch}); any other RDD gets them from {@link #zip}, which costs a
 * counting pass and keeps the minibatches persisted until {@link #close()}. The minibatches are
 * {@link PendingMinibatch}es until the worker that fits one applies {@link #finisher()}: the training input moves
 * stored 8-bit examples through the epoch's shuffle and augments them after it.
 */
public final class IndexedMinibatches implements AutoCloseable {
    private final JavaPairRDD<Long, PendingMinibatch> byPosition;
    private final long count;
    private final Function<PendingMinibatch, DataSet> finisher;
    private final JavaPairRDD<?, ?> persisted;

    private IndexedMinibatches(JavaPairRDD<Long, PendingMinibatch> byPosition, long count,
                               Function<PendingMinibatch, DataSet> finisher, JavaPairRDD<?, ?> persisted) {
        this.byPosition = byPosition;
        this.count = count;
        this.finisher = finisher;
        this.persisted = persisted;
    }

    /**
     * Minibatches whose positions are already known: exactly {@code 0 .. count-1}, each once; {@code finisher} turns
     * each into the network's input.
     */
    public static IndexedMinibatches of(JavaPairRDD<Long, PendingMinibatch> byPosition, long count,
                                        Function<PendingMinibatch, DataSet> finisher) {
        return new IndexedMinibatches(byPosition, count, finisher, null);
    }

    /** Any RDD of finished minibatches, positioned in RDD order (persisted at {@code storageLevel} while in use). */
    public static IndexedMinibatches zip(JavaRDD<DataSet> minibatches, String storageLevel) {
        JavaPairRDD<DataSet, Long> zipped = minibatches.zipWithIndex().persist(StorageLevel.fromString(storageLevel));
        return new IndexedMinibatches(zipped.mapToPair(t -> new Tuple2<>(t._2(), PendingMinibatch.finished(t._1()))),
                zipped.count(), PendingMinibatch::examples, zipped);
    }

    /** The minibatches as they cross the shuffle, by position. */
    public JavaPairRDD<Long, PendingMinibatch> byPosition() {
        return byPosition;
    }

    /** Turns a pending minibatch into the network's input (augmented, rescaled); serializable, runs on executors. */
    public Function<PendingMinibatch, DataSet> finisher() {
        return finisher;
    }

    /** {@code finisher} applied to {@code pending} on a worker, its checked exceptions wrapped. */
    public static DataSet finish(Function<PendingMinibatch, DataSet> finisher, PendingMinibatch pending) {
        try {
            return finisher.call(pending);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot finish a training minibatch", e);
        }
    }

    /** The finished minibatches by position (tests, and callers that want the epoch's input itself). */
    public JavaPairRDD<Long, DataSet> finished() {
        return byPosition.mapValues(finisher);
    }

    public long count() {
        return count;
    }

    @Override
    public void close() {
        if (persisted != null) {
            persisted.unpersist(false);
        }
    }
}
