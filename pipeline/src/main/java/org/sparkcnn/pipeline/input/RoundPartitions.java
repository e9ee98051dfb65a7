package org.sparkcnn.pipeline.input;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * An epoch's minibatches laid out for synchronous rounds: minibatch {@code i} goes to a fixed (round, worker)
 * partition ({@link RoundLayout}); {@link #round(int)} is the RDD of just that round's partitions (Spark's
 * {@code PartitionPruningRDD}), one partition per worker, each in epoch order (a shuffle read returns blocks in
 * fetch order, so a worker's at most {@code averaging-frequency} minibatches are sorted by position before it
 * fits them). The layout depends only on the positions, so a resumed epoch repeats it. One shuffle per epoch,
 * written by the first round's job; later rounds read its output.
 */
public final class RoundPartitions implements EpochShuffle {
    private final org.apache.spark.rdd.RDD<Tuple2<Integer, Tuple2<Long, PendingMinibatch>>> shuffled;
    private final JavaRDD<Tuple2<Long, PendingMinibatch>> laidOut;
    private final RoundLayout layout;
    private final Function<PendingMinibatch, DataSet> finisher;

    public RoundPartitions(IndexedMinibatches epoch, RoundLayout layout) {
        this.layout = layout;
        this.finisher = epoch.finisher();
        RoundLayout l = layout;
        JavaPairRDD<Integer, Tuple2<Long, PendingMinibatch>> bySlot =
                epoch.byPosition().mapToPair(t -> new Tuple2<>(l.slot(t._1()), t)).partitionBy(layout);
        this.shuffled = bySlot.rdd();
        this.laidOut = bySlot.values();
    }

    @Override
    public org.apache.spark.rdd.RDD<?> shuffled() {
        return shuffled;
    }

    public int rounds() {
        return layout.rounds();
    }

    /**
     * Round {@code r}'s minibatches (0-based), one partition per worker in epoch order, some possibly empty, each
     * finished (augmented) as the worker reaches it.
     */
    public JavaRDD<DataSet> round(int r) {
        Function<PendingMinibatch, DataSet> finish = finisher;
        return JavaRDD.fromRDD(PartitionPruningRDD.create(laidOut.rdd(), new RoundFilter(r, layout.workers())),
                laidOut.classTag()).mapPartitions(minibatches -> inEpochOrder(minibatches, finish), true);
    }

    private static Iterator<DataSet> inEpochOrder(Iterator<Tuple2<Long, PendingMinibatch>> minibatches,
                                                  Function<PendingMinibatch, DataSet> finish) {
        List<Tuple2<Long, PendingMinibatch>> all = new ArrayList<>();
        minibatches.forEachRemaining(all::add);
        all.sort(Comparator.comparing(Tuple2::_1));
        Iterator<Tuple2<Long, PendingMinibatch>> sorted = all.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return sorted.hasNext();
            }

            @Override
            public DataSet next() {
                return IndexedMinibatches.finish(finish, sorted.next()._2());
            }
        };
    }
}
