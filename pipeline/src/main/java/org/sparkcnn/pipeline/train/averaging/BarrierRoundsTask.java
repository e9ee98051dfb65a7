package org.sparkcnn.pipeline.train.averaging;

import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.CollectionAccumulator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkcnn.pipeline.device.DeviceBinding;
import org.sparkcnn.pipeline.device.GpuAssignment;
import org.sparkcnn.pipeline.input.IndexedMinibatches;
import org.sparkcnn.pipeline.input.PendingMinibatch;
import org.sparkcnn.pipeline.input.WorkerOfPosition;
import org.sparkcnn.pipeline.model.FrozenLayers;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.train.distributed.WorkerHook;
import org.sparkcnn.pipeline.train.distributed.WorkerRound;
import scala.Tuple2;
import scala.collection.BufferedIterator;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction1;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One worker of a barrier job ({@code train.exchange = barrier}): fits rounds {@code from .. to-1} of the epoch
 * from its partition (its minibatches of every round, sorted by position; rounds before {@code from} are skipped,
 * as a resumed epoch has done them), and after each round tells the others its state ({@link WorkerExchange}: a
 * hand-over in the JVM on local masters, {@code allGather} elsewhere) and takes their mean: the workers that fitted a minibatch, summed in worker order, divided by
 * their number, with frozen layers put back bit for bit and the update counter advanced by the most minibatches
 * any worker fitted. That is what a job-per-round round does on the driver, so both exchanges give the same
 * updates. Every worker ends with the same network; worker 0 returns it with the rounds' counts, and adds each
 * round to {@code progress} as it ends, for the driver to report while the job runs ({@link LiveRounds}). A failed task
 * fails the barrier job, which the trainer runs again, all its tasks from the job's broadcast start.
 */
final class BarrierRoundsTask extends AbstractFunction1<Iterator<Tuple2<Long, PendingMinibatch>>, Iterator<BarrierSegment>>
        implements Serializable {
    private final Broadcast<RoundModel> model;
    private final WorkerOfPosition layout;
    private final Function<PendingMinibatch, org.nd4j.linalg.dataset.DataSet> finisher;
    private final long seed;
    private final int epoch;
    private final int from;
    private final int to;
    private final List<WorkerHook> hooks;
    private final boolean inJvm;
    private final CollectionAccumulator<BarrierRound> progress;

    BarrierRoundsTask(Broadcast<RoundModel> model, WorkerOfPosition layout,
                      Function<PendingMinibatch, org.nd4j.linalg.dataset.DataSet> finisher, long seed, int epoch,
                      int from, int to, List<WorkerHook> hooks, boolean inJvm,
                      CollectionAccumulator<BarrierRound> progress) {
        this.model = model;
        this.layout = layout;
        this.finisher = finisher;
        this.seed = seed;
        this.epoch = epoch;
        this.from = from;
        this.to = to;
        this.hooks = List.copyOf(hooks);
        this.inJvm = inJvm;
        this.progress = progress;
    }

    @Override
    public Iterator<BarrierSegment> apply(Iterator<Tuple2<Long, PendingMinibatch>> partition) {
        BarrierTaskContext task = BarrierTaskContext.get();
        WorkerExchange exchange = inJvm ? new InJvmExchange() : new AllGatherExchange();
        int worker = task.partitionId();
        int device = DeviceBinding.bindTask().map(GpuAssignment::ordinal).orElse(WorkerNetworkPool.NO_DEVICE);
        RoundModel start = model.value();
        WorkerNetworkPool.PooledWorker pooled = WorkerNetworkPool.borrow(start, device);
        Network network = pooled.network;
        start.applyTo(network);
        Map<String, INDArray> frozen = FrozenLayers.snapshot(network);
        int iterations = start.iterationCount();
        BufferedIterator<Tuple2<Long, PendingMinibatch>> minibatches = partition.buffered();
        List<BarrierRound> rounds = new ArrayList<>();
        NetworkState[] reports = pooled.reports;
        for (int r = from; r < to; r++) {
            long t0 = System.nanoTime();
            WorkerRound work = new WorkerRound(network, hooks, task, WorkerRound.roundSeed(seed, epoch, r), worker);
            while (minibatches.hasNext() && layout.roundOf(minibatches.head()._1()) <= r) {
                Tuple2<Long, PendingMinibatch> next = minibatches.next();
                if (layout.roundOf(next._1()) == r) {
                    work.fit(IndexedMinibatches.finish(finisher, next._2()));
                }
            }
            // the same sum a job per round makes on the driver (RoundSum.plus, in worker order: WorkerOrderSum); the
            // first state is copied, as workers in one JVM share the reports. Both copies go into buffers kept with
            // the worker's network, across rounds and epochs (a ResNet-50 state is 270 MB: fresh native memory for
            // each made its two rounds of 5 steps 4.5 + 7.3 s against 4.5 + 4.3 s with buffers kept). Reports
            // alternate between two buffers: others read round r's report until they have summed round r, and this
            // worker cannot get past round r + 1's exchange before all of them have; a new epoch's tasks start after
            // the last one's have all ended.
            RoundSum sum = RoundSum.EMPTY;
            WorkerReport mine = WorkerReport.of(work, network, reports[r % 2]);
            if (mine.state() != null) {
                reports[r % 2] = mine.state();
            }
            for (WorkerReport report : exchange.exchange(task, mine)) {
                sum = sum.plus(sum.workers() == 0 ? report.asFirstSum(pooled.accumulator) : report.asSum(false));
            }
            if (sum.workers() > 0) {
                pooled.accumulator = sum.state();
                sum.state().divi(sum.workers()).copyTo(network);
                iterations += (int) sum.mostMinibatches();
                network.setIterationCount(iterations);
                FrozenLayers.restore(network, frozen);
            }
            BarrierRound done = new BarrierRound(r, sum.lossSum(), sum.examples(), sum.minibatches(), sum.correct(),
                    (System.nanoTime() - t0) / 1e9);
            rounds.add(done);
            if (worker == 0) {
                progress.add(done); // the driver reports it from the next heartbeat (LiveRounds)
            }
        }
        BarrierSegment result = null;
        if (worker == 0) {
            NetworkState last = NetworkState.copyOf(network);   // the pooled network goes on to other tasks
            String key = inJvm ? start.structureKey() + "@" + task.stageId() + "." + task.stageAttemptNumber() : null;
            if (key != null) {
                InJvmHandOff.put(key, last);
            }
            result = new BarrierSegment(key == null ? last : null, key, iterations, rounds);
        }
        WorkerNetworkPool.giveBack(start, device, pooled);
        return scala.collection.JavaConverters.asScalaIterator(
                result == null ? Collections.<BarrierSegment>emptyIterator() : List.of(result).iterator());
    }
}
