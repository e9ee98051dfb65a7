package org.sparkcnn.pipeline.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.config.ConfigFingerprint;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;
import org.sparkcnn.pipeline.metrics.RoundMetrics;
import org.sparkcnn.pipeline.model.FrozenLayers;
import org.sparkcnn.pipeline.model.Network;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Synchronous parameter averaging on Spark primitives ({@code train.trainer = spark-averaging}, the default).
 * Each round: broadcast the driver's network (structure, parameters, updater state, update counter), run one task
 * per worker over its partition of {@link RoundPartitions} ({@link RoundTask}: fit its minibatches in order),
 * tree-aggregate the workers' parameters and updater states, and set their mean on the driver; the update counter
 * advances by the most minibatches a worker fitted. The difference from dl4j-spark's master is where the worker
 * networks live: executors keep them between rounds ({@link WorkerNetworkPool}), where dl4j-spark rebuilds each
 * from JSON and initialises it (random weights) in every round. Counts come back in the task results, so only a
 * successful attempt's count is seen. Frozen layers are put back bit for bit after each round, as averaging may
 * round them ({@link FrozenLayers}).
 */
public final class SparkAveragingTrainer implements DistributedTrainer {
    private final JavaSparkContext sc;
    private final TrainConfig train;
    private final long seed;
    private final String runId;
    private final PrintStream out;
    private final List<WorkerHook> hooks;
    private final Network network;

    public SparkAveragingTrainer(JavaSparkContext sc, Network network, TrainConfig train, long seed, String runId,
                                 PrintStream out, List<WorkerHook> hooks) {
        this.sc = sc;
        this.network = network;
        this.train = train;
        this.seed = seed;
        this.runId = runId;
        this.out = out;
        this.hooks = List.copyOf(hooks);
    }

    @Override
    public EpochFit fitEpoch(IndexedMinibatches minibatches, int epoch, int startRound, RoundCallback callback) {
        RoundPartitions layout = new RoundPartitions(minibatches, DistributedTrainer.workers(train, sc),
                train.averagingFrequency());
        Map<String, INDArray> frozen = FrozenLayers.snapshot(network);
        String structure = network.structureJson();
        String key = runId + "/" + ConfigFingerprint.sha256(structure);
        List<RoundMetrics> rounds = new ArrayList<>();
        double lossSum = 0;
        long examples = 0;
        long fitted = 0;
        for (int r = startRound; r < layout.rounds(); r++) {
            long t0 = System.nanoTime();
            RoundSum sum = round(layout.round(r), RoundModel.of(network, key, structure), roundSeed(epoch, r));
            if (sum.workers() > 0) {
                sum.state().divi(sum.workers()).copyTo(network);
                network.setIterationCount(network.iterationCount() + (int) sum.mostMinibatches());
                FrozenLayers.restore(network, frozen);
            }
            lossSum += sum.lossSum();
            examples += sum.examples();
            fitted += sum.minibatches();
            RoundMetrics m = new RoundMetrics(runId, epoch, r + 1,
                    sum.minibatches() == 0 ? Double.NaN : sum.lossSum() / sum.minibatches(), sum.examples(),
                    (System.nanoTime() - t0) / 1e9);
            rounds.add(m);
            DistributedTrainer.printRound(out, m, layout.rounds());
            callback.afterRound(m, layout.rounds(), network);
        }
        return new EpochFit(fitted == 0 ? Double.NaN : lossSum / fitted, examples, fitted, rounds);
    }

    private RoundSum round(JavaRDD<DataSet> partitions, RoundModel start, long roundSeed) {
        Broadcast<RoundModel> model = sc.broadcast(start);
        try {
            return partitions.mapPartitions(new RoundTask(model, roundSeed, hooks))
                    .treeAggregate(RoundSum.EMPTY, RoundSum::plus, RoundSum::plus);
        } finally {
            model.destroy();
        }
    }

    private long roundSeed(int epoch, int round) {
        return (seed * 1_000_003L + epoch) * 100_003L + round;
    }

    @Override
    public String storageLevel() {
        return train.storageLevel();
    }

    @Override
    public Network network() {
        return network;
    }

    @Override
    public EvaluationPass evaluate(JavaRDD<DataSet> data, List<String> labels, int topN) {
        return DistributedEvaluator.evaluate(sc, network, data, labels, topN);
    }

    @Override
    public void close() {
        // In local mode the workers' networks live in this JVM: free them now. Executors elsewhere drop theirs when
        // the next run's first round arrives.
        WorkerNetworkPool.release(runId + "/");
    }
}
