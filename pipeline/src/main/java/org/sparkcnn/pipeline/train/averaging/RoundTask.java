package org.sparkcnn.pipeline.train.averaging;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.device.DeviceBinding;
import org.sparkcnn.pipeline.device.GpuAssignment;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.train.distributed.WorkerHook;
import org.sparkcnn.pipeline.train.distributed.WorkerRound;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * One worker's share of an averaging round run as its own Spark job ({@code train.exchange = job-per-round}), on an
 * executor: borrows a worker network, sets it to the round's starting point, fits the partition's minibatches in
 * order ({@link WorkerRound}) and returns its parameters and updater state.
 */
final class RoundTask implements FlatMapFunction<Iterator<DataSet>, RoundSum> {
    private final Broadcast<RoundModel> model;
    private final long roundSeed;
    private final List<WorkerHook> hooks;

    RoundTask(Broadcast<RoundModel> model, long roundSeed, List<WorkerHook> hooks) {
        this.model = model;
        this.roundSeed = roundSeed;
        this.hooks = List.copyOf(hooks);
    }

    @Override
    public Iterator<RoundSum> call(Iterator<DataSet> minibatches) {
        if (!minibatches.hasNext()) {
            return Collections.emptyIterator();
        }
        int device = DeviceBinding.bindTask().map(GpuAssignment::ordinal).orElse(WorkerNetworkPool.NO_DEVICE);
        RoundModel round = model.value();
        WorkerNetworkPool.PooledWorker worker = WorkerNetworkPool.borrow(round, device);
        Network network = worker.network;
        round.applyTo(network);
        TaskContext task = TaskContext.get();
        WorkerRound work = new WorkerRound(network, hooks, task, roundSeed, task == null ? 0 : task.partitionId());
        minibatches.forEachRemaining(work::fit);
        RoundSum sum = new RoundSum(NetworkState.copyOf(network), work.lossSum(), work.examples(),
                work.minibatches(), work.correct(), 1, work.minibatches());
        WorkerNetworkPool.giveBack(round, device, worker);
        return Collections.singletonList(sum).iterator();
    }
}
