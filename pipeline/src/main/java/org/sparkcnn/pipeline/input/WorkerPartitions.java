package org.sparkcnn.pipeline.input;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.rdd.RDD;
import org.nd4j.linalg.dataset.DataSet;

/**
 * An epoch's minibatches laid out for barrier jobs: one partition per worker holding its minibatches of every round
 * ({@link WorkerOfPosition}), sorted by position within the partition by Spark's sorter (which spills), so a worker
 * streams its rounds in order.
 */
public final class WorkerPartitions implements EpochShuffle {
    private final JavaPairRDD<Long, PendingMinibatch> sorted;
    private final WorkerOfPosition layout;
    private final Function<PendingMinibatch, DataSet> finisher;

    public WorkerPartitions(IndexedMinibatches epoch, RoundLayout layout) {
        this.layout = new WorkerOfPosition(layout);
        this.sorted = epoch.byPosition().repartitionAndSortWithinPartitions(this.layout);
        this.finisher = epoch.finisher();
    }

    @Override
    public RDD<?> shuffled() {
        return sorted.rdd();
    }

    /** The minibatches by position, a partition per worker. */
    public RDD<scala.Tuple2<Long, PendingMinibatch>> sorted() {
        return sorted.rdd();
    }

    public WorkerOfPosition layout() {
        return layout;
    }

    public Function<PendingMinibatch, DataSet> finisher() {
        return finisher;
    }
}
