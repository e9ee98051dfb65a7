package org.sparkcnn.pipeline.train.averaging;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.config.ConfigFingerprint;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;
import org.sparkcnn.pipeline.evaluate.DistributedEvaluator;
import org.sparkcnn.pipeline.evaluate.EvaluationPass;
import org.sparkcnn.pipeline.input.EpochShuffle;
import org.sparkcnn.pipeline.input.IndexedMinibatches;
import org.sparkcnn.pipeline.input.RoundLayout;
import org.sparkcnn.pipeline.input.RoundPartitions;
import org.sparkcnn.pipeline.input.ShuffleAhead;
import org.sparkcnn.pipeline.input.WorkerPartitions;
import org.sparkcnn.pipeline.metrics.RoundMetrics;
import org.sparkcnn.pipeline.model.FrozenLayers;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.spark.LocalMaster;
import org.sparkcnn.pipeline.train.distributed.DistributedTrainer;
import org.sparkcnn.pipeline.train.distributed.EpochFit;
import org.sparkcnn.pipeline.train.distributed.RoundCallback;
import org.sparkcnn.pipeline.train.distributed.RoundConsole;
import org.sparkcnn.pipeline.train.distributed.WorkerHook;
import org.sparkcnn.pipeline.train.distributed.WorkerRound;
import scala.reflect.ClassTag$;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Synchronous parameter averaging on Spark primitives ({@code train.trainer = spark-averaging}, the default), in
 * one of two exchanges ({@code train.exchange}, decided by {@link ExchangeChoice}):
 * <ul>
 *   <li>job per round: broadcast the driver's network (structure, parameters, updater state, update counter), run
 *   one task per worker over its partition of {@link RoundPartitions} ({@link RoundTask}: fit its minibatches in
 *   order), sum the workers' parameters and updater states on the driver in worker order ({@link WorkerOrderSum}:
 *   the same bits whatever order the tasks end in, a retried task or a lost executor's included), and set their
 *   mean; the update counter advances by the most minibatches a worker fitted;</li>
 *   <li>barrier: one barrier-mode job runs the epoch's rounds up to the next round whose network the caller wants
 *   ({@link RoundCallback#needsNetworkAfter}, mid-epoch checkpoints) or the epoch's end; each task reads its
 *   worker's minibatches of all those rounds, sorted by position, and the workers average among themselves after
 *   every round ({@link BarrierRoundsTask}), the same arithmetic as the driver's. It saves a Spark job per round
 *   (scheduling, a broadcast, result fetches: about 7 ms on local[2]); round lines print when the job ends. A
 *   failed barrier job is run again from its start ({@link #barrierJob}).</li>
 * </ul>
 * Either way an epoch's minibatches cross one shuffle ({@link EpochShuffle}), which {@link #prepare} can start
 * writing while the previous epoch is evaluated ({@link ShuffleAhead}).
 * The difference from dl4j-spark's master is where the worker networks live: executors keep them between rounds
 * ({@link WorkerNetworkPool}), where dl4j-spark rebuilds each from JSON and initialises it (random weights) in every
 * round. Counts come back in the task results, so only a successful attempt's count is seen. Frozen layers are
 * put back bit for bit after each round, as averaging may round them ({@link FrozenLayers}).
 */
public final class SparkAveragingTrainer implements DistributedTrainer {
    private final JavaSparkContext sc;
    private final TrainConfig train;
    private final long seed;
    private final String runId;
    private final PrintStream out;
    private RoundConsole console;
    private final List<WorkerHook> hooks;
    private final Network network;
    private final int workers;
    private final boolean barrier;
    private final boolean inJvm;
    private ShuffleAhead ahead;

    public SparkAveragingTrainer(JavaSparkContext sc, Network network, TrainConfig train, long seed, String runId,
                                 PrintStream out, List<WorkerHook> hooks) {
        this(sc, network, train, seed, runId, out, hooks,
                LocalMaster.inDriverJvm(sc.getConf().get("spark.master", "local[*]")));
    }

    /** {@code inJvm}: barrier workers hand reports over in this JVM, else through {@code allGather} (tests). */
    public SparkAveragingTrainer(JavaSparkContext sc, Network network, TrainConfig train, long seed, String runId,
                          PrintStream out, List<WorkerHook> hooks, boolean inJvm) {
        this.sc = sc;
        this.network = network;
        this.train = train;
        this.seed = seed;
        this.runId = runId;
        this.out = out;
        this.console = RoundConsole.lines(out);
        this.hooks = List.copyOf(hooks);
        this.workers = DistributedTrainer.workers(train, sc);
        this.barrier = ExchangeChoice.barrier(train.exchange(), sc.getConf(), workers,
                Preflight.roundResultBytes(network));
        this.inJvm = inJvm;
        out.printf("train: spark-averaging over %d workers, exchange %s (train.exchange = %s)%n", workers,
                barrier ? (inJvm ? "barrier (in-JVM hand-over)" : "barrier (allGather)") : "job-per-round",
                ConfigLoader.display(train.exchange()));
    }

    /** True when this trainer runs barrier jobs ({@code train.exchange} resolved). */
    public boolean barrier() {
        return barrier;
    }

    @Override
    public EpochFit fitEpoch(IndexedMinibatches minibatches, int epoch, int startRound, RoundCallback callback) {
        Epoch e = new Epoch(epoch, callback, new RoundLayout(workers, train.averagingFrequency(), minibatches.count()));
        if (barrier) {
            fitBarrierJobs(minibatches, e, startRound);
        } else {
            fitJobPerRound(minibatches, e, startRound);
        }
        return e.fit();
    }

    @Override
    public void prepare(IndexedMinibatches upcoming) {
        if (ahead != null) {
            ahead.cancel();
        }
        ahead = ShuffleAhead.start(sc, upcoming, newShuffle(upcoming,
                new RoundLayout(workers, train.averagingFrequency(), upcoming.count())));
    }

    /** The epoch's shuffle: the one {@link #prepare} started for {@code minibatches}, or a new one. */
    private EpochShuffle shuffleOf(IndexedMinibatches minibatches, RoundLayout layout) {
        if (ahead != null && ahead.isFor(minibatches)) {
            EpochShuffle laidOut = ahead.laidOut();
            ahead = null;
            return laidOut;
        }
        return newShuffle(minibatches, layout);
    }

    private EpochShuffle newShuffle(IndexedMinibatches minibatches, RoundLayout layout) {
        return barrier ? new WorkerPartitions(minibatches, layout) : new RoundPartitions(minibatches, layout);
    }

    private void fitJobPerRound(IndexedMinibatches minibatches, Epoch e, int startRound) {
        RoundPartitions partitions = (RoundPartitions) shuffleOf(minibatches, e.layout);
        for (int r = startRound; r < e.layout.rounds(); r++) {
            long t0 = System.nanoTime();
            RoundSum sum = round(partitions.round(r), e.start(), WorkerRound.roundSeed(seed, e.epoch, r));
            if (sum.workers() > 0) {
                sum.state().divi(sum.workers()).copyTo(network);
                network.setIterationCount(network.iterationCount() + (int) sum.mostMinibatches());
                FrozenLayers.restore(network, e.frozen);
            }
            e.done(r, sum.lossSum(), sum.examples(), sum.minibatches(), sum.correct(), (System.nanoTime() - t0) / 1e9);
        }
    }

    private RoundSum round(JavaRDD<DataSet> partitions, RoundModel start, long roundSeed) {
        Broadcast<RoundModel> model = sc.broadcast(start);
        try {
            return WorkerOrderSum.of(sc, partitions.mapPartitions(new RoundTask(model, roundSeed, hooks)));
        } finally {
            model.destroy();
        }
    }

    private void fitBarrierJobs(IndexedMinibatches minibatches, Epoch e, int startRound) {
        WorkerPartitions byWorker = (WorkerPartitions) shuffleOf(minibatches, e.layout);
        int rounds = e.layout.rounds();
        for (int from = startRound; from < rounds; ) {
            int to = from + 1;
            while (to < rounds && !e.callback.needsNetworkAfter(to, rounds)) {
                to++;
            }
            Broadcast<RoundModel> model = sc.broadcast(e.start());
            LiveRounds live = new LiveRounds(sc.sc().collectionAccumulator("barrier rounds"), from, to,
                    r -> e.done(r.round(), r.lossSum(), r.examples(), r.minibatches(), r.correct(), r.seconds()));
            sc.sc().addSparkListener(live);
            BarrierSegment segment;
            try {
                BarrierRoundsTask task = new BarrierRoundsTask(model, byWorker.layout(), byWorker.finisher(), seed,
                        e.epoch, from, to, hooks, inJvm, live.accumulator());
                segment = barrierJob(() -> byWorker.sorted().barrier().mapPartitions(task, false,
                        ClassTag$.MODULE$.apply(BarrierSegment.class)).toJavaRDD().collect().get(0), from, to);
            } finally {
                sc.sc().removeSparkListener(live);
                model.destroy();
            }
            segment.resolve().copyTo(network);
            InJvmHandOff.clear(runId + "/");   // a failed attempt's hand-off, if any
            network.setIterationCount(segment.iterationCount());
            FrozenLayers.restore(network, e.frozen);
            live.finish(segment.rounds()); // the rounds no heartbeat reported, the job's last always among them
            from = to;
        }
    }

    /**
     * Runs a barrier job, again from the same start when it fails, up to {@code spark.stage.maxConsecutiveAttempts}
     * times in all. Spark reruns a failed barrier map stage itself but aborts a job whose barrier result stage
     * fails; running the rounds in the result stage saves the stage that would carry the network back.
     */
    private BarrierSegment barrierJob(java.util.function.Supplier<BarrierSegment> job, int from, int to) {
        int attempts = Math.max(1, sc.getConf().getInt("spark.stage.maxConsecutiveAttempts", 4));
        for (int attempt = 1; ; attempt++) {
            try {
                return job.get();
            } catch (Exception failed) {
                // Spark's job failures are SparkExceptions (checked), thrown from Scala undeclared
                if (failed instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                if (!(failed instanceof org.apache.spark.SparkException)) {
                    throw new IllegalStateException(failed);
                }
                if (attempt >= attempts || sc.sc().isStopped() || badInput(failed)) {
                    throw new IllegalStateException(String.format("the barrier job of averaging rounds %d-%d failed "
                            + "%d time(s) (spark.stage.maxConsecutiveAttempts = %d)", from + 1, to, attempt, attempts),
                            failed);
                }
                out.printf("train: the barrier job of rounds %d-%d failed (%s); running it again (attempt %d of %d)%n",
                        from + 1, to, failed.getMessage().lines().findFirst().orElse(""), attempt + 1, attempts);
            }
        }
    }

    /** A failure caused by bad input (a corrupt shard, say) fails the same way again: it is not rerun. */
    private static boolean badInput(Throwable failed) {
        for (Throwable t = failed; t != null; t = t.getCause()) {
            if (t instanceof org.sparkcnn.pipeline.error.BadInputException) {
                return true;
            }
        }
        return false;
    }

    /** One epoch's running totals, round lines and callbacks, the same for both exchanges. */
    private final class Epoch {
        final int epoch;
        final RoundCallback callback;
        final RoundLayout layout;
        final Map<String, INDArray> frozen = FrozenLayers.snapshot(network);
        final String structure = network.structureJson();
        final String key = runId + "/" + ConfigFingerprint.sha256(structure);
        final List<RoundMetrics> rounds = new ArrayList<>();
        double lossSum;
        long examples;
        long fitted;

        Epoch(int epoch, RoundCallback callback, RoundLayout layout) {
            this.epoch = epoch;
            this.callback = callback;
            this.layout = layout;
        }

        RoundModel start() {
            return RoundModel.of(network, key, structure);
        }

        void done(int round, double roundLoss, long roundExamples, long minibatches, long correct, double seconds) {
            lossSum += roundLoss;
            examples += roundExamples;
            fitted += minibatches;
            RoundMetrics m = new RoundMetrics(runId, epoch, round + 1,
                    minibatches == 0 ? Double.NaN : roundLoss / minibatches, roundExamples, seconds, correct);
            rounds.add(m);
            console.round(m, layout.rounds());
            callback.afterRound(m, layout.rounds(), network);
        }

        EpochFit fit() {
            console.endEpoch();
            return new EpochFit(fitted == 0 ? Double.NaN : lossSum / fitted, examples, fitted, rounds);
        }
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
        if (ahead != null) {
            ahead.cancel();
        }
        // In local mode the workers' networks live in this JVM: free them now. Executors elsewhere drop theirs when
        // the next run's first round arrives.
        WorkerNetworkPool.release(runId + "/");
        InJvmHandOff.clear(runId + "/");
    }
}
