package org.sparkcnn.pipeline.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.augment.AugmentConfig;
import org.sparkcnn.pipeline.augment.DataSetAugmenter;
import org.sparkcnn.pipeline.augment.FeatureStats;
import org.sparkcnn.pipeline.config.ConfigFingerprint;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.metrics.EpochMetrics;
import org.sparkcnn.pipeline.metrics.MetricsStore;
import org.sparkcnn.pipeline.model.ModelFactory;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code train}: reads a committed ingest's shards on the executors and trains the configured CNN with
 * synchronous parameter averaging; after every epoch it evaluates on the validation split, writes a
 * checkpoint and the metric tables. Re-running with the same run id resumes from the latest checkpoint.
 */
public final class TrainJob {
    private final PrintStream out;

    public TrainJob(PrintStream out) {
        this.out = out;
    }

    public TrainResult run(SparkSession spark, PipelineConfig config) {
        String runId = config.run().id();
        RunLayout run = RunLayout.of(config.output().uri(), runId);
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        ShardManifest manifest = new ManifestStore(storage).require(run);
        TrainConfig train = config.train();
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        CheckpointStore checkpoints = new CheckpointStore(storage, run);
        MetricsStore metrics = new MetricsStore(spark, storage, run);
        String configHash = ConfigFingerprint.training(config);

        MultiLayerNetwork network;
        TrainerState state;
        Optional<String> latest = checkpoints.resolve("latest");
        boolean resumed = latest.isPresent();
        if (resumed) {
            state = checkpoints.loadState(latest.get());
            if (!state.configHash().equals(configHash) && !config.output().overwrite()) {
                throw new BadInputException("train: run " + runId + " was trained with other model/train/seed settings "
                        + "(config hash " + state.configHash().substring(0, 12) + " vs " + configHash.substring(0, 12)
                        + "); resume it with its original settings, use another run.id, or pass --overwrite to resume "
                        + "anyway with the new settings");
            }
            network = checkpoints.loadModel(latest.get());
            out.printf("train: resuming run %s from checkpoint %s (epoch %d done)%n", runId, latest.get(), state.epoch());
        } else {
            network = new MultiLayerNetwork(ModelFactory.build(config.model().architecture(),
                    config.augment().outputHeight(manifest.height()), config.augment().outputWidth(manifest.width()),
                    manifest.channels(), manifest.numClasses(), train, config.seed()));
            network.init();
            state = new TrainerState(runId, 0, List.of(), 0, Double.NaN, 0.0, configHash);
        }
        Preprocessing preprocessing = preprocessing(sc, storage, run, manifest, config, resumed);
        TrainingData data = new TrainingData(storage, run, manifest, preprocessing.augmenter());
        String summary = network.summary();
        out.println(summary);
        storage.writeString(Storage.join(run.metrics(), "model-summary.txt"), summary);
        if (state.epoch() >= train.epochs()) {
            out.printf("train: run %s already completed %d of %d epochs; nothing to do%n", runId, state.epoch(), train.epochs());
            return new TrainResult(runId, state.history(), state.bestEpoch(), state.bestValAccuracy(),
                    latest.orElse(null), true);
        }

        DistributedTrainer trainer = new ParameterAveragingTrainer(sc, network, train, config.seed());
        List<String> labels = manifest.classes();
        long trainExamples = data.examples("train");
        long valExamples = data.examples("validation");
        out.printf("train: %s on %d training / %d validation examples of %dx%dx%d, %d classes; %d workers x batch %d, "
                        + "averaging every %d minibatches%n", config.model().architecture(), trainExamples, valExamples,
                manifest.channels(), manifest.height(), manifest.width(), labels.size(),
                train.workers() > 0 ? train.workers() : sc.defaultParallelism(), train.batchSizePerWorker(),
                train.averagingFrequency());

        List<EpochMetrics> history = new ArrayList<>(state.history());
        int bestEpoch = state.bestEpoch();
        double bestVal = state.bestValAccuracy();
        double elapsed = state.elapsedSeconds();
        String checkpointName = latest.orElse(null);
        for (int epoch = state.epoch() + 1; epoch <= train.epochs(); epoch++) {
            long t0 = System.nanoTime();
            JavaRDD<DataSet> batches = data.trainingEpoch(sc, train.batchSizePerWorker(), config.seed(), epoch);
            double trainLoss = trainer.fitEpoch(batches, epoch);
            batches.unpersist(false);
            double fitSeconds = (System.nanoTime() - t0) / 1e9;

            EvaluationPass trainPass = trainer.evaluate(
                    data.evaluation(sc, "train", train.batchSizePerWorker()), labels, 1);
            double valAccuracy = Double.NaN;
            double valLoss = Double.NaN;
            if (valExamples > 0) {
                EvaluationPass valPass = trainer.evaluate(
                        data.evaluation(sc, "validation", train.batchSizePerWorker()), labels, 1);
                valAccuracy = valPass.evaluation().accuracy();
                valLoss = valPass.meanLoss();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            elapsed += seconds;
            EpochMetrics row = new EpochMetrics(runId, epoch, trainLoss, trainPass.evaluation().accuracy(), valLoss, valAccuracy,
                    train.learningRate(), seconds, trainExamples / fitSeconds);
            history.removeIf(e -> e.epoch() == row.epoch());
            history.add(row);
            boolean best = bestEpoch == 0 || (!Double.isNaN(valAccuracy) && valAccuracy > bestVal);
            if (best) {
                bestEpoch = epoch;
                bestVal = valAccuracy;
            }
            state = new TrainerState(runId, epoch, history, bestEpoch, bestVal, elapsed, configHash);
            checkpoints.save(trainer.network(), state, best);
            checkpointName = CheckpointStore.name(epoch);
            metrics.writeEpochs(history);
            out.printf("epoch %d/%d  loss %.4f  acc %.4f  val_loss %.4f  val_acc %.4f  %.1f s  %.0f samples/s  ETA %.0f s%n",
                    epoch, train.epochs(), trainLoss, trainPass.evaluation().accuracy(), valLoss, valAccuracy, seconds,
                    row.samplesPerSecond(), (train.epochs() - epoch) * seconds);
        }
        return new TrainResult(runId, history, bestEpoch, bestVal, checkpointName, resumed);
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
