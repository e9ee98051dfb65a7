package org.sparkcnn.pipeline.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.sparkcnn.pipeline.augment.AugmentConfig;
import org.sparkcnn.pipeline.augment.DataSetAugmenter;
import org.sparkcnn.pipeline.augment.FeatureStats;
import org.sparkcnn.pipeline.augment.Preprocessing;
import org.sparkcnn.pipeline.checkpoint.CheckpointStore;
import org.sparkcnn.pipeline.checkpoint.TrainerState;
import org.sparkcnn.pipeline.config.CodeVersion;
import org.sparkcnn.pipeline.config.ConfigFingerprint;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.device.GpuChecks;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.evaluate.EvaluationPass;
import org.sparkcnn.pipeline.input.IndexedMinibatches;
import org.sparkcnn.pipeline.input.TrainingData;
import org.sparkcnn.pipeline.metrics.EpochMetrics;
import org.sparkcnn.pipeline.metrics.MetricsStore;
import org.sparkcnn.pipeline.metrics.RoundMetrics;
import org.sparkcnn.pipeline.metrics.RunRecord;
import org.sparkcnn.pipeline.model.InitialNetwork;
import org.sparkcnn.pipeline.model.ModelSummary;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;
import org.sparkcnn.pipeline.train.averaging.Preflight;
import org.sparkcnn.pipeline.train.distributed.DistributedTrainer;
import org.sparkcnn.pipeline.train.distributed.EpochFit;
import org.sparkcnn.pipeline.train.distributed.RoundCallback;
import org.sparkcnn.pipeline.train.distributed.RoundConsole;
import org.sparkcnn.pipeline.train.distributed.WorkerHook;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * {@code train}: reads a committed ingest's shards on the executors and trains the configured CNN with
 * synchronous parameter averaging. Before each epoch the driver sets the epoch's learning rate; after it,
 * the job evaluates on the validation split, applies early stopping, writes a checkpoint, the metric tables
 * and the run's row. Re-running with the same run id resumes from the latest checkpoint.
 */
public final class TrainJob {
    private final PrintStream out;
    private final List<WorkerHook> extraHooks;

    public TrainJob(PrintStream out) {
        this(out, List.of());
    }

    /** With extra worker hooks (tests inject faults this way). */
    TrainJob(PrintStream out, List<WorkerHook> extraHooks) {
        this.out = out;
        this.extraHooks = List.copyOf(extraHooks);
    }

    public TrainResult run(SparkSession spark, PipelineConfig config) {
        String runId = config.run().id();
        RunLayout run = RunLayout.of(config.output().uri(), runId);
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        ShardManifest manifest = new ManifestStore(storage).require(run);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        GpuChecks.beforeNd4j(sc, out);   // the CUDA build: a GPU that cannot run it is refused before ND4J loads
        CheckpointStore checkpoints = new CheckpointStore(storage, run);
        MetricsStore metrics = new MetricsStore(spark, storage, run);
        EarlyStopping stopping = new EarlyStopping(config.earlyStopping());
        String configHash = ConfigFingerprint.training(config);
        if (config.output().overwrite()) {
            startOver(storage, run, checkpoints);
        }

        Network network;
        TrainerState state;
        Optional<String> latest = checkpoints.resolve("latest");
        boolean resumed = latest.isPresent();
        if (resumed) {
            state = checkpoints.loadState(latest.get());
            if (!state.configHash().equals(configHash)) {
                throw new BadInputException("train: run " + runId + " was trained with other model/train/seed settings "
                        + "(config hash " + state.configHash().substring(0, 12) + " vs " + configHash.substring(0, 12)
                        + "); resume it with its original settings, use another run.id, or pass --overwrite to start "
                        + "the training over with the new settings");
            }
            checkpoints.requireTrainedOn(latest.get(), manifest, "train");
            network = checkpoints.loadModel(latest.get());
            out.printf("train: resuming run %s from checkpoint %s (epoch %d done)%n", runId, latest.get(), state.epoch());
        } else {
            int leftovers = checkpoints.folders().size();
            if (leftovers > 0) {
                // Folders no pointer names: a first checkpoint whose pointer was never written (killed), or the rest
                // of an interrupted --overwrite. Nothing can resume from them.
                checkpoints.removeAll();
                out.printf("train: removed %d unpublished checkpoint folder(s) of run %s (no checkpoints/latest names "
                        + "them)%n", leftovers, runId);
            }
            network = null;
            state = null;
        }
        // train.workers = 0 takes the count from the cluster at the first start; a resume keeps the run's count,
        // because the averaging rounds are laid out for it.
        int workers = resumed && state.workers() > 0 ? state.workers() : DistributedTrainer.workers(config.train(), sc);
        if (resumed && state.workers() > 0 && config.train().workers() == 0 && workers != sc.defaultParallelism()) {
            out.printf("train: resuming with the run's %d workers (train.workers = 0 would give %d on this cluster)%n",
                    workers, sc.defaultParallelism());
        }
        config = config.withTrain(config.train().withWorkers(workers));
        TrainConfig train = config.train();
        if (!resumed) {
            network = InitialNetwork.create(storage, config.model(),
                    config.augment().outputHeight(manifest.height()), config.augment().outputWidth(manifest.width()),
                    manifest.channels(), manifest.numClasses(), train, config.seed(), out);
            state = TrainerState.start(runId, configHash, Instant.now().toString(), manifest.dataHash(),
                    manifest.classes(), workers);
        }
        String monitor = config.earlyStopping().monitor();
        if (config.earlyStopping().enabled() && monitor.startsWith("val_")
                && TrainingData.examples(manifest, "validation") == 0) {
            throw new BadInputException("train: early-stopping.monitor = " + monitor + ", but run " + runId + "'s ingest "
                    + "has no validation examples (split.validation-fraction = " + config.split().validationFraction()
                    + " of this corpus gave none); monitor loss or accuracy, or ingest with a larger validation fraction");
        }
        Preprocessing preprocessing = preprocessing(sc, storage, run, manifest, config, resumed);
        TrainingData data = new TrainingData(storage, run, manifest, preprocessing.augmenter());
        out.print(ModelSummary.table(network));
        storage.writeString(Storage.join(run.metrics(), "model-summary.txt"), ModelSummary.of(network));
        if (state.epoch() >= train.epochs() || state.stoppedEarly()) {
            out.printf("train: run %s already %s after %d epochs; nothing to do%n", runId,
                    state.stoppedEarly() ? "stopped early" : "completed", state.epoch());
            return new TrainResult(runId, state.history(), state.bestEpoch(), state.bestMetric(),
                    checkpoints.resolveFinal().orElse(null), true, state.stoppedEarly());
        }

        Preflight.run(sc, network, org.deeplearning4j.nn.conf.inputs.InputType.convolutional(
                        config.augment().outputHeight(manifest.height()), config.augment().outputWidth(manifest.width()),
                        manifest.channels()), train.batchSizePerWorker(),
                workers, train.exchange(), out);
        try (DistributedTrainer trainer = Trainers.create(sc, network, train, config.seed(), runId, out,
                extraHooks)) {
            trainer.roundConsole(RoundConsole.of(out, config.output().verbose()));
            return train(trainer, state, data, sc, manifest, config, stopping, checkpoints, metrics, resumed);
        }
    }

    /**
     * {@code --overwrite}: the training starts over with a new initial network. The run's checkpoints, training
     * metrics (epochs, rounds) and its evaluation of the old network go; the ingest stays.
     */
    private void startOver(Storage storage, RunLayout run, CheckpointStore checkpoints) {
        boolean hadCheckpoints = !checkpoints.folders().isEmpty();
        int removed = checkpoints.removeAll();
        for (String old : List.of("epochs", "epochs.csv", "history.json", "rounds", "rounds.csv")) {
            storage.delete(Storage.join(run.metrics(), old));
        }
        storage.delete(run.evaluationJson());
        if (hadCheckpoints) {
            out.printf("train: --overwrite: starting run %s over from a new initial network (removed %d checkpoint(s), "
                    + "its epoch and round metrics and its evaluation)%n", run.root(), removed);
        }
    }

    /** The epoch loop; {@code trainer} is the seam (tests pass one with injected faults). */
    TrainResult train(DistributedTrainer trainer, TrainerState state, TrainingData data, JavaSparkContext sc,
                      ShardManifest manifest, PipelineConfig config, EarlyStopping stopping, CheckpointStore checkpoints,
                      MetricsStore metrics, boolean resumed) {
        String runId = config.run().id();
        TrainConfig train = config.train();
        List<String> labels = manifest.classes();
        long trainExamples = data.examples("train");
        long valExamples = data.examples("validation");
        out.printf("train: %s on %d training / %d validation examples of %dx%dx%d, %d classes; %d workers x batch %d, "
                        + "averaging every %d minibatches; base learning rate %s (train.lr-scaling = %s)%n",
                config.model().architecture(), trainExamples, valExamples,
                manifest.channels(), manifest.height(), manifest.width(), labels.size(),
                DistributedTrainer.workers(train, sc), train.batchSizePerWorker(),
                train.averagingFrequency(), baseLearningRate(config, sc),
                train.lrScaling().name().toLowerCase(java.util.Locale.ROOT));

        String monitor = config.earlyStopping().monitor();
        RunRecord running = new RunRecord(runId, "RUNNING", state.started(), null, config.resolvedHocon(),
                manifest.configHash(), CodeVersion.get(), state.bestEpoch(), state.bestMetric(), monitor);
        List<EpochMetrics> history = new ArrayList<>(state.history());
        EpochInputs inputs = new EpochInputs(data, sc, train.batchSizePerWorker(), config.seed(),
                DistributedTrainer.workers(train, sc));
        // the first epoch's shuffle is written while the run's record is, as every later one is during evaluation
        if (state.epoch() < train.epochs()) {
            inputs.prepare(state.epoch() + 1, trainer);
        }
        metrics.writeRun(running);
        try {
            for (int epoch = state.epoch() + 1; epoch <= train.epochs(); epoch++) {
                state = trainEpoch(epoch, state, history, trainer, inputs, data, sc, labels, trainExamples, valExamples,
                        config, stopping, checkpoints, metrics);
                if (state.stoppedEarly()) {
                    out.printf("train: early stopping after epoch %d: %s has not improved by more than %s for %d epochs "
                                    + "(best %.4f at epoch %d)%n", epoch, monitor, config.earlyStopping().minDelta(),
                            state.epochsWithoutImprovement(), state.bestMetric(), state.bestEpoch());
                    break;
                }
            }
        } catch (RuntimeException | Error e) {
            metrics.writeRun(new RunRecord(runId, "FAILED", state.started(), Instant.now().toString(),
                    config.resolvedHocon(), manifest.configHash(), CodeVersion.get(), state.bestEpoch(),
                    state.bestMetric(), monitor));
            throw e;
        }
        String finalCheckpoint = CheckpointStore.name(
                state.stoppedEarly() && config.earlyStopping().restoreBest() ? state.bestEpoch() : state.epoch());
        checkpoints.markFinal(finalCheckpoint);
        metrics.writeRun(new RunRecord(runId, state.stoppedEarly() ? "EARLY_STOPPED" : "COMPLETED", state.started(),
                Instant.now().toString(), config.resolvedHocon(), manifest.configHash(), CodeVersion.get(),
                state.bestEpoch(), state.bestMetric(), monitor));
        return new TrainResult(runId, history, state.bestEpoch(), state.bestMetric(), finalCheckpoint, resumed,
                state.stoppedEarly());
    }

    /** The rate the schedule starts from: the (fine-tune) learning rate scaled for the workers (train.lr-scaling). */
    private static double baseLearningRate(PipelineConfig config, JavaSparkContext sc) {
        TrainConfig train = config.train();
        return LearningRateSchedule.scaled(train, config.model().learningRate(train), DistributedTrainer.workers(train, sc));
    }

    private TrainerState trainEpoch(int epoch, TrainerState state, List<EpochMetrics> history, DistributedTrainer trainer,
                                    EpochInputs inputs, TrainingData data, JavaSparkContext sc, List<String> labels, long trainExamples,
                                    long valExamples, PipelineConfig config, EarlyStopping stopping,
                                    CheckpointStore checkpoints, MetricsStore metrics) {
        TrainConfig train = config.train();
        double lr = LearningRateSchedule.at(train, baseLearningRate(config, sc), epoch);
        trainer.network().setLearningRate(lr);
        long t0 = System.nanoTime();
        IndexedMinibatches batches = inputs.of(epoch);
        // A mid-epoch checkpoint resumes the epoch at the round after the ones it holds.
        int startRound = state.roundsDone();
        if (startRound > 0) {
            out.printf("train: resuming epoch %d at averaging round %d%n", epoch, startRound + 1);
        }
        // Rounds done before this call: earlier epochs, and this epoch's rounds a mid-epoch checkpoint holds.
        List<RoundMetrics> before = state.rounds().stream()
                .filter(r -> r.epoch() < epoch || (r.epoch() == epoch && r.round() <= startRound)).toList();
        int every = config.checkpointEveryRounds();
        List<RoundMetrics> thisRun = new ArrayList<>();
        RoundCallback afterRound = new RoundCallback() {
            @Override
            public boolean needsNetworkAfter(int round, int total) {
                return every > 0 && round % every == 0 && round < total;
            }

            @Override
            public void afterRound(RoundMetrics round, int total, Network network) {
                thisRun.add(round);
                if (needsNetworkAfter(round.round(), total)) {
                    List<RoundMetrics> soFar = new ArrayList<>(before);
                    soFar.addAll(thisRun);
                    checkpoints.save(network, state.next(epoch - 1, history, soFar, state.bestEpoch(),
                            state.bestMetric(), state.epochsWithoutImprovement(), false, state.elapsedSeconds(),
                            round.round()), false);
                }
            }
        };
        EpochFit fit = trainer.fitEpoch(batches, epoch, startRound, afterRound);
        double fitSeconds = (System.nanoTime() - t0) / 1e9;
        List<RoundMetrics> epochRounds = new ArrayList<>(before.stream().filter(r -> r.epoch() == epoch).toList());
        epochRounds.addAll(fit.rounds());
        long fitted = epochRounds.stream().mapToLong(RoundMetrics::examples).sum();
        double trainLoss = epochRounds.stream().mapToDouble(r -> r.score() * r.examples()).sum() / Math.max(1, fitted);
        if (fitted != trainExamples) {
            throw new IllegalStateException("epoch " + epoch + " fitted " + fitted + " examples, expected "
                    + trainExamples + " (each training example exactly once)");
        }
        if (epoch < train.epochs()) {
            // the next epoch's shuffle is written while this one is evaluated and recorded
            inputs.prepare(epoch + 1, trainer);
        }

        double trainAccuracy = trainingAccuracy(epochRounds, fitted, train)
                .orElseGet(() -> trainer.evaluate(data.evaluation(sc, "train", train.batchSizePerWorker()), labels, 1)
                        .evaluation().accuracy());
        double valAccuracy = Double.NaN;
        double valLoss = Double.NaN;
        if (valExamples > 0) {
            EvaluationPass valPass = trainer.evaluate(data.evaluation(sc, "validation", train.batchSizePerWorker()), labels, 1);
            valAccuracy = valPass.evaluation().accuracy();
            valLoss = valPass.meanLoss();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        EpochMetrics row = new EpochMetrics(config.run().id(), epoch, trainLoss, trainAccuracy,
                valLoss, valAccuracy, lr, seconds, trainExamples / fitSeconds);
        history.removeIf(e -> e.epoch() == row.epoch());
        history.add(row);

        double value = stopping.metric(row);
        boolean best = stopping.improves(value, state.bestMetric()) || state.bestEpoch() == 0;
        int bestEpoch = best ? epoch : state.bestEpoch();
        double bestMetric = best ? value : state.bestMetric();
        int without = best ? 0 : state.epochsWithoutImprovement() + 1;
        boolean stop = stopping.shouldStop(without);
        List<RoundMetrics> rounds = new ArrayList<>(state.rounds());
        rounds.removeIf(r -> r.epoch() >= epoch);
        rounds.addAll(epochRounds);
        TrainerState next = state.next(epoch, history, rounds, bestEpoch, bestMetric, without, stop,
                state.elapsedSeconds() + seconds, 0);
        checkpoints.save(trainer.network(), next, best);
        checkpoints.prune(config.checkpointKeepLast());
        metrics.writeEpochs(history);
        metrics.writeRounds(rounds);
        out.println(EpochLine.format(epoch, train.epochs(), trainLoss, row.trainAccuracy(), valLoss, valAccuracy,
                trainer.network().regularizationScore(), lr, seconds, row.samplesPerSecond()));
        return next;
    }

    /**
     * The epoch's training accuracy from its fitting steps (each round's count of examples its steps' own forward
     * passes classified correctly), unless {@code train.training-metrics = full-pass} asks for a pass over the
     * training split or a round has no count (dl4j-spark's workers, or rounds recorded before counts existed).
     */
    static OptionalDouble trainingAccuracy(List<RoundMetrics> epochRounds, long fitted, TrainConfig train) {
        if (train.trainingMetrics() != PipelineConfig.TrainingMetrics.FITTING || fitted == 0
                || epochRounds.stream().anyMatch(r -> r.correct() < 0)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(epochRounds.stream().mapToLong(RoundMetrics::correct).sum() / (double) fitted);
    }

    /**
     * The run's preprocessing: read back when resuming, else from the config, with the training split's feature
     * statistics computed first when featurewise standardisation is on; written to {@code preprocessing.json}.
     */
    private Preprocessing preprocessing(JavaSparkContext sc, Storage storage, RunLayout run, ShardManifest manifest,
                                        PipelineConfig config, boolean resumed) {
        if (resumed) {
            Optional<Preprocessing> saved = Preprocessing.read(storage, run);
            if (saved.isPresent()) {
                return saved.get();
            }
        }
        FeatureStats stats = null;
        if (config.augment().needsFeatureStats()) {
            stats = new TrainingData(storage, run, manifest, new DataSetAugmenter(AugmentConfig.defaults()))
                    .featureStats(sc, manifest.channels(), config.augment().rescale());
            out.printf("train: training split feature statistics: mean %s, std %s%n",
                    java.util.Arrays.toString(stats.mean()), java.util.Arrays.toString(stats.std()));
        }
        Preprocessing p = new Preprocessing(config.augment(), stats);
        p.write(storage, run);
        return p;
    }
}
