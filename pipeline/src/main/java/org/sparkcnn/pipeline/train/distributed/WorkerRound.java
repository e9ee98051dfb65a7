package org.sparkcnn.pipeline.train.distributed;

import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.model.Network;

import java.util.List;

/**
 * One worker's fitting between two averagings, whichever exchange runs it: seeds the dropout RNG from (round
 * seed, worker), so a retried task repeats the same updates, then fits minibatches in the order given, with the
 * hooks around each, summing their losses and counting examples, minibatches and the examples each step's own
 * forward pass classified correctly (training accuracy without a second pass).
 */
public final class WorkerRound {
    private final Network network;
    private final List<WorkerHook> hooks;
    private final TaskContext task;
    private double lossSum;
    private long examples;
    private long minibatches;
    private long correct;

    public WorkerRound(Network network, List<WorkerHook> hooks, TaskContext task, long roundSeed, int worker) {
        this.network = network;
        this.hooks = hooks;
        this.task = task;
        Nd4j.getRandom().setSeed(roundSeed * 31L + worker);
    }

    /** The seed of averaging round {@code round} (0-based) of {@code epoch} in a run seeded {@code seed}. */
    public static long roundSeed(long seed, int epoch, int round) {
        return (seed * 1_000_003L + epoch) * 100_003L + round;
    }

    public void fit(DataSet minibatch) {
        if (task != null && task.isInterrupted()) {
            // the round was aborted or this attempt killed: stop, and do not return this network to the pool
            throw new TaskKilledException("averaging round task killed");
        }
        for (WorkerHook h : hooks) {
            h.beforeMinibatch(minibatch, network.model());
        }
        long stepCorrect = network.fitCounting(minibatch);
        correct = correct < 0 || stepCorrect < 0 ? -1 : correct + stepCorrect;
        for (WorkerHook h : hooks) {
            h.afterMinibatch(minibatch, network.model());
        }
        lossSum += network.model().score();
        examples += minibatch.numExamples();
        minibatches++;
    }

    public double lossSum() {
        return lossSum;
    }

    public long examples() {
        return examples;
    }

    public long minibatches() {
        return minibatches;
    }

    /** Examples the steps' forward passes classified correctly; -1 when the network could not say for some step. */
    public long correct() {
        return correct;
    }
}
