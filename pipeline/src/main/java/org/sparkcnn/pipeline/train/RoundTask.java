package org.sparkcnn.pipeline.train;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.model.Network;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * One worker's share of an averaging round, run on an executor: borrows a worker network, sets it to the round's
 * starting point, fits the partition's minibatches in order and returns its parameters and updater state. The
 * dropout RNG is seeded from (round seed, worker), so a retried task repeats the same updates.
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
        RoundModel round = model.value();
        Network network = WorkerNetworkPool.borrow(round);
        round.applyTo(network);
        TaskContext task = TaskContext.get();
        Nd4j.getRandom().setSeed(roundSeed * 31L + (task == null ? 0 : task.partitionId()));
        double lossSum = 0;
        long examples = 0;
        long count = 0;
        while (minibatches.hasNext()) {
            if (task != null && task.isInterrupted()) {
                // the round was aborted or this attempt killed: stop, and do not return this network to the pool
                throw new org.apache.spark.TaskKilledException("averaging round task killed");
            }
            DataSet minibatch = minibatches.next();
            for (WorkerHook h : hooks) {
                h.beforeMinibatch(minibatch, network.model());
            }
            network.fit(minibatch);
            for (WorkerHook h : hooks) {
                h.afterMinibatch(minibatch, network.model());
            }
            lossSum += network.model().score();
            examples += minibatch.numExamples();
            count++;
        }
        RoundSum sum = new RoundSum(NetworkState.copyOf(network), lossSum, examples, count, 1, count);
        WorkerNetworkPool.giveBack(round, network);
        return Collections.singletonList(sum).iterator();
    }
}
