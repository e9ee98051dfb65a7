package org.sparkcnn.pipeline.train.dl4jspark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;
import org.sparkcnn.pipeline.evaluate.DistributedEvaluator;
import org.sparkcnn.pipeline.evaluate.EvaluationPass;
import org.sparkcnn.pipeline.input.IndexedMinibatches;
import org.sparkcnn.pipeline.input.RoundLayout;
import org.sparkcnn.pipeline.input.RoundPartitions;
import org.sparkcnn.pipeline.metrics.RoundMetrics;
import org.sparkcnn.pipeline.model.FrozenLayers;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.train.distributed.DistributedTrainer;
import org.sparkcnn.pipeline.train.distributed.EpochFit;
import org.sparkcnn.pipeline.train.distributed.RoundCallback;
import org.sparkcnn.pipeline.train.distributed.RoundConsole;
import org.sparkcnn.pipeline.train.distributed.WorkerHook;
import org.sparkcnn.pipeline.train.distributed.WorkerRound;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link DistributedTrainer} on DL4J's {@link ParameterAveragingTrainingMaster}, one averaging round at a time
 * ({@code train.trainer = dl4j-spark}; the default is our own {@code train.averaging.SparkAveragingTrainer}).
 *
 * <p>Why rounds are ours: dl4j-spark 1.0.0-M2 splits an epoch into rounds itself, with a random split and a
 * repartition, and caps every worker at {@code averaging-frequency} minibatches per round; whatever a
 * partition holds beyond that is silently skipped (we measured 32 of 43 examples fitted in an epoch).
 * So we lay the epoch out ourselves: minibatch {@code i} goes to a fixed (round, worker) slot
 * ({@link RoundLayout}, one shuffle per epoch), and each round is one call of the training master on just
 * that round's partitions (Spark's {@code PartitionPruningRDD}), with its own repartitioning switched off.
 * Every example is fitted exactly once per epoch, and the layout depends only on the input order, so a
 * resumed run repeats it. The master still does what it is good at: broadcasting the model, fitting on the
 * workers and averaging parameters and updater state. Frozen layers (fine-tuning) get no updates on the workers;
 * after each round their values are put back bit for bit ({@link FrozenLayers}), as averaging may round them.
 */
public final class Dl4jSparkTrainer implements DistributedTrainer {
    private final JavaSparkContext sc;
    private final TrainConfig train;
    private final long seed;
    private final String runId;
    private final PrintStream out;
    private RoundConsole console;
    private final List<WorkerHook> extraHooks;
    private Network network;

    public Dl4jSparkTrainer(JavaSparkContext sc, Network network, TrainConfig train, long seed,
                            String runId, PrintStream out) {
        this(sc, network, train, seed, runId, out, List.of());
    }

    /** With additional worker hooks (tests inject faults this way). */
    public Dl4jSparkTrainer(JavaSparkContext sc, Network network, TrainConfig train, long seed,
                            String runId, PrintStream out, List<WorkerHook> extraHooks) {
        this.sc = sc;
        this.network = network;
        this.train = train;
        this.seed = seed;
        this.runId = runId;
        this.out = out;
        this.console = RoundConsole.lines(out);
        this.extraHooks = List.copyOf(extraHooks);
    }

    private int workers() {
        return DistributedTrainer.workers(train, sc);
    }

    private ParameterAveragingTrainingMaster master(int epoch, int round, ProgressHook progress) {
        List<TrainingHook> hooks = new ArrayList<>();
        hooks.add(new HookAdapter(extraHooks));
        hooks.add(progress);
        return new ParameterAveragingTrainingMaster.Builder(workers(), train.batchSizePerWorker())
                .batchSizePerWorker(train.batchSizePerWorker())
                .averagingFrequency(train.averagingFrequency())
                .workerPrefetchNumBatches(train.workerPrefetch())
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .storageLevel(null)
                .saveUpdater(true)
                .rngSeed(WorkerRound.roundSeed(seed, epoch, round))
                .collectTrainingStats(false)
                .trainingHooks(hooks)
                .build();
    }

    @Override
    public EpochFit fitEpoch(IndexedMinibatches minibatches, int epoch, int startRound, RoundCallback callback) {
        RoundPartitions layout = new RoundPartitions(minibatches,
                new RoundLayout(workers(), train.averagingFrequency(), minibatches.count()));
        ProgressHook progress = new ProgressHook(sc.sc().longAccumulator(ProgressHook.EXAMPLES),
                sc.sc().longAccumulator(ProgressHook.MINIBATCHES), sc.sc().doubleAccumulator(ProgressHook.LOSS_SUM));
        List<RoundMetrics> rounds = new ArrayList<>();
        Map<String, INDArray> frozen = FrozenLayers.snapshot(network);
        for (int r = startRound; r < layout.rounds(); r++) {
            long examplesBefore = progress.examples();
            long batchesBefore = progress.minibatches();
            double lossBefore = progress.lossSum();
            long t0 = System.nanoTime();
            JavaRDD<DataSet> round = layout.round(r);
            if (network.isGraph()) {
                SparkComputationGraph spark = new SparkComputationGraph(sc, network.graph(), master(epoch, r, progress));
                spark.fit(round);
                network = Network.of(spark.getNetwork());
            } else {
                SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, network.multiLayer(), master(epoch, r, progress));
                spark.fit(round);
                network = Network.of(spark.getNetwork());
            }
            FrozenLayers.restore(network, frozen);
            long batches = progress.minibatches() - batchesBefore;
            RoundMetrics m = new RoundMetrics(runId, epoch, r + 1,
                    batches == 0 ? Double.NaN : (progress.lossSum() - lossBefore) / batches,
                    progress.examples() - examplesBefore, (System.nanoTime() - t0) / 1e9, -1);
            rounds.add(m);
            console.round(m, layout.rounds());
            callback.afterRound(m, layout.rounds(), network);
        }
        console.endEpoch();
        long batches = progress.minibatches();
        return new EpochFit(batches == 0 ? Double.NaN : progress.lossSum() / batches, progress.examples(), batches,
                rounds);
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
    public void roundConsole(RoundConsole console) {
        this.console = console;
    }

    @Override
    public void close() {
        // nothing held beyond the network
    }

    /** Our worker hooks as dl4j-spark training hooks. */
    private static final class HookAdapter implements TrainingHook {
        private final List<WorkerHook> hooks;

        HookAdapter(List<WorkerHook> hooks) {
            this.hooks = hooks;
        }

        @Override
        public void preUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, org.deeplearning4j.nn.api.Model model) {
            hooks.forEach(h -> h.beforeMinibatch(minibatch, model));
        }

        @Override
        public void postUpdate(org.nd4j.linalg.dataset.api.DataSet minibatch, org.deeplearning4j.nn.api.Model model) {
            hooks.forEach(h -> h.afterMinibatch(minibatch, model));
        }

        @Override
        public void preUpdate(org.nd4j.linalg.dataset.api.MultiDataSet minibatch, org.deeplearning4j.nn.api.Model model) {
        }

        @Override
        public void postUpdate(org.nd4j.linalg.dataset.api.MultiDataSet minibatch, org.deeplearning4j.nn.api.Model model) {
        }
    }
}
