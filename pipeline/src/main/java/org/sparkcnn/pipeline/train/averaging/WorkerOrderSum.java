package org.sparkcnn.pipeline.train.averaging;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

import java.io.Serializable;

/**
 * The sum of a job-per-round round's worker results in worker order, ((w0 + w1) + w2) + ..., whatever order their
 * tasks end in: float addition is not associative, so a sum in the order results arrive (Spark's
 * {@code treeAggregate}/{@code fold} merge them on the driver as tasks end) would change in its last bits with the
 * tasks' timing, a retried task or an executor lost and replaced, and the runs would drift apart from there. The
 * barrier exchange adds the workers' reports in the same order, so both exchanges still give the same updates.
 * A result that arrives before the ones of lower workers waits for them; the others are added as they arrive.
 */
final class WorkerOrderSum {
    private final RoundSum[] waiting;
    private int next;
    private RoundSum sum = RoundSum.EMPTY;

    WorkerOrderSum(int workers) {
        this.waiting = new RoundSum[workers];
    }

    /** Runs {@code perWorker} (at most one result per partition, the partition being the worker) and sums it. */
    static RoundSum of(JavaSparkContext sc, JavaRDD<RoundSum> perWorker) {
        WorkerOrderSum sum = new WorkerOrderSum(perWorker.getNumPartitions());
        sc.sc().runJob(perWorker.rdd(), new OneResult(), new AbstractFunction2<Object, RoundSum, BoxedUnit>() {
            @Override
            public BoxedUnit apply(Object worker, RoundSum result) {
                sum.add((Integer) worker, result);
                return BoxedUnit.UNIT;
            }
        }, ClassTag$.MODULE$.apply(RoundSum.class));
        return sum.total();
    }

    /** Worker {@code worker}'s result (one per worker, {@link RoundSum#EMPTY} for one that fitted nothing). */
    synchronized void add(int worker, RoundSum result) {
        if (waiting[worker] != null || worker < next) {
            throw new IllegalStateException("a second result of worker " + worker);
        }
        waiting[worker] = result;
        while (next < waiting.length && waiting[next] != null) {
            sum = sum.plus(waiting[next]);
            waiting[next++] = null;
        }
    }

    /** The sum of every worker's result. */
    synchronized RoundSum total() {
        if (next != waiting.length) {
            throw new IllegalStateException("the result of worker " + next + " is missing");
        }
        return sum;
    }

    /** A partition's one result, or {@link RoundSum#EMPTY} when it returned none (no minibatches). */
    private static final class OneResult extends AbstractFunction2<TaskContext, scala.collection.Iterator<RoundSum>,
            RoundSum> implements Serializable {
        @Override
        public RoundSum apply(TaskContext task, scala.collection.Iterator<RoundSum> results) {
            return results.hasNext() ? results.next() : RoundSum.EMPTY;
        }
    }
}
