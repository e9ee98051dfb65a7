package org.sparkcnn.pipeline.train.averaging;

import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.util.CollectionAccumulator;

import java.util.List;
import java.util.function.Consumer;

/**
 * The rounds of a running barrier job, reported on the driver while the job runs: worker 0 adds each round it
 * finishes to an accumulator ({@link #accumulator()}), executors send running tasks' accumulator values with their
 * heartbeats ({@code spark.executor.heartbeatInterval}, 10 s by default), and this listener hands the rounds it has
 * not reported yet, in order, to the consumer (the round lines and {@code metrics/rounds} rows). The job's last
 * round is never reported live: a round whose callback takes the network (a mid-epoch checkpoint) ends its job,
 * and the driver only holds that network once the job has returned. {@link #finish} reports what is left; late
 * heartbeats after it are ignored. A rerun of a failed job repeats the same rounds bit for bit, so rounds already
 * reported are not reported again.
 */
final class LiveRounds extends SparkListener {
    private final CollectionAccumulator<BarrierRound> accumulator;
    private final int lastLive;
    private final Consumer<BarrierRound> consumer;
    private int next;
    private boolean finished;

    /** For the job of rounds {@code from .. to-1} (0-based): rounds before {@code to - 1} may be reported live. */
    LiveRounds(CollectionAccumulator<BarrierRound> accumulator, int from, int to, Consumer<BarrierRound> consumer) {
        this.accumulator = accumulator;
        this.lastLive = to - 2;
        this.consumer = consumer;
        this.next = from;
    }

    CollectionAccumulator<BarrierRound> accumulator() {
        return accumulator;
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        // var: the tuple's Seq is scala.collection.Seq on Scala 2.12 and scala.collection.immutable.Seq on 2.13
        for (var task : scala.collection.JavaConverters.seqAsJavaList(update.accumUpdates())) {
            for (AccumulableInfo info : scala.collection.JavaConverters.seqAsJavaList(task._4())) {
                if (info.id() == accumulator.id() && info.update().isDefined()
                        && info.update().get() instanceof List<?> rounds) {
                    report(rounds, lastLive);
                }
            }
        }
    }

    /** Reports the job's rounds not reported yet (all of them, the last included), and stops listening. */
    synchronized void finish(List<BarrierRound> rounds) {
        report(rounds, Integer.MAX_VALUE);
        finished = true;
    }

    private synchronized void report(List<?> rounds, int upTo) {
        if (finished) {
            return;
        }
        for (Object o : rounds) {
            if (o instanceof BarrierRound r && r.round() == next && r.round() <= upTo) {
                consumer.accept(r);
                next++;
            }
        }
    }
}
