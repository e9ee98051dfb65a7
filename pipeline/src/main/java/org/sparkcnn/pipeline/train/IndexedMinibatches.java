package org.sparkcnn.pipeline.train;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

/**
 * An epoch's minibatches keyed by their position in the epoch ({@code 0 .. count-1}), which decides their averaging
 * round and worker ({@link RoundLayout}). The training input computes positions on the driver from the manifest's
 * shard sizes ({@link TrainingData#indexedTrainingEpoch}); any other RDD gets them from {@link #zip}, which costs a
 * counting pass and keeps the minibatches persisted until {@link #close()}.
 */
public final class IndexedMinibatches implements AutoCloseable {
    private final JavaPairRDD<Long, DataSet> byPosition;
    private final long count;
    private final JavaPairRDD<?, ?> persisted;

    private IndexedMinibatches(JavaPairRDD<Long, DataSet> byPosition, long count, JavaPairRDD<?, ?> persisted) {
        this.byPosition = byPosition;
        this.count = count;
        this.persisted = persisted;
    }

    /** Minibatches whose positions are already known: exactly {@code 0 .. count-1}, each once. */
    public static IndexedMinibatches of(JavaPairRDD<Long, DataSet> byPosition, long count) {
        return new IndexedMinibatches(byPosition, count, null);
    }

    /** Any RDD of minibatches, positioned in RDD order (persisted at {@code storageLevel} while in use). */
    public static IndexedMinibatches zip(JavaRDD<DataSet> minibatches, String storageLevel) {
        JavaPairRDD<DataSet, Long> zipped = minibatches.zipWithIndex().persist(StorageLevel.fromString(storageLevel));
        return new IndexedMinibatches(zipped.mapToPair(t -> new Tuple2<>(t._2(), t._1())), zipped.count(), zipped);
    }

    public JavaPairRDD<Long, DataSet> byPosition() {
        return byPosition;
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
