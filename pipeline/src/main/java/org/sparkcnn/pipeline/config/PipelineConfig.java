package org.sparkcnn.pipeline.config;

import org.sparkcnn.pipeline.augment.AugmentConfig;

import java.io.Serializable;
import java.util.Map;

/**
 * The whole job configuration, parsed once on the driver from HOCON and validated before any Spark
 * work (see {@link ConfigLoader}). Immutable and serialisable, so executors may receive parts of it.
 *
 * @param resolvedHocon the merged configuration rendered as JSON with sorted keys (for manifests)
 * @param sparkConf     the pass-through {@code spark.*} settings, keys with their {@code spark.} prefix
 */
public record PipelineConfig(
        RunConfig run,
        OutputConfig output,
        CorpusConfig corpus,
        ImageConfig image,
        SplitConfig split,
        long seed,
        IngestConfig ingest,
        ModelConfig model,
        TrainConfig train,
        AugmentConfig augment,
        EarlyStoppingConfig earlyStopping,
        int checkpointKeepLast,
        int checkpointEveryRounds,
        DemoConfig demo,
        Map<String, String> sparkConf,
        String resolvedHocon) implements Serializable {

    public PipelineConfig {
        sparkConf = Map.copyOf(sparkConf);
    }

    /**
     * The same configuration with its storage URIs replaced (the cluster's default filesystem made explicit):
     * {@code output.uri}, {@code corpus.uri}, {@code model.init} and {@code demo.corpus-uri}.
     */
    public PipelineConfig withUris(String outputUri, String corpusUri, String modelInit, String demoCorpusUri) {
        return new PipelineConfig(run, new OutputConfig(outputUri, output.overwrite(), output.sharedLocalFilesystem(),
                output.verbose()),
                new CorpusConfig(corpusUri, corpus.layout()), image, split, seed, ingest,
                new ModelConfig(model.architecture(), model.layers(), modelInit, model.freezeUpTo(),
                        model.fineTuneLearningRate()), train, augment, earlyStopping, checkpointKeepLast,
                checkpointEveryRounds, new DemoConfig(demo.classes(), demo.imagesPerClass(), demo.imageSize(),
                demoCorpusUri), sparkConf, resolvedHocon);
    }

    /** The same configuration with other {@code train.*} settings (e.g. a resolved worker count). */
    public PipelineConfig withTrain(TrainConfig other) {
        return new PipelineConfig(run, output, corpus, image, split, seed, ingest, model, other, augment, earlyStopping,
                checkpointKeepLast, checkpointEveryRounds, demo, sparkConf, resolvedHocon);
    }

    /**
     * The record's usual text, but with the values of credential-like {@code spark.*} keys redacted
     * ({@link Secrets}), so that logging a configuration never logs a credential ({@code resolvedHocon} is
     * redacted already).
     */
    @Override
    public String toString() {
        java.util.Map<String, String> shownSpark = new java.util.TreeMap<>();
        sparkConf.forEach((k, v) -> shownSpark.put(k, Secrets.shown(k, v)));
        return "PipelineConfig[run=" + run + ", output=" + output + ", corpus=" + corpus + ", image=" + image
                + ", split=" + split + ", seed=" + seed + ", ingest=" + ingest + ", model=" + model + ", train=" + train
                + ", augment=" + augment + ", earlyStopping=" + earlyStopping + ", checkpointKeepLast="
                + checkpointKeepLast + ", checkpointEveryRounds=" + checkpointEveryRounds + ", demo=" + demo
                + ", sparkConf=" + shownSpark + ", resolvedHocon=" + resolvedHocon + "]";
    }

    /** {@code run.id}; empty when the job should generate one. */
    public record RunConfig(String id) implements Serializable {}

    /**
     * {@code output.*}: the warehouse root, whether a committed stage may be replaced, whether {@code file:} URIs
     * name a filesystem the driver and every executor mount at the same path (NFS, a shared volume), which a cluster
     * needs before it accepts them, and whether the console shows every averaging round ({@code --verbose}).
     */
    public record OutputConfig(String uri, boolean overwrite, boolean sharedLocalFilesystem, boolean verbose)
            implements Serializable {}

    /** {@code corpus.*}: where the images are and how they are laid out. */
    public record CorpusConfig(String uri, CorpusLayoutName layout) implements Serializable {}

    /** {@code image.*}: the tensor shape every image is decoded and resized to. */
    public record ImageConfig(int height, int width, int channels, ResizeMode resizeMode) implements Serializable {
        public long pixelsPerExample() {
            return (long) height * width * channels;
        }
    }

    /** {@code split.*}: validation and test fractions. */
    public record SplitConfig(double validationFraction, double testFraction) implements Serializable {}

    /** {@code ingest.*}: sharding and quarantine policy. */
    public record IngestConfig(int examplesPerShard, int shardTargetMb, double maxBadFraction,
                               long minPixels, long maxPixels, Decoder decoder, int augmentCopies) implements Serializable {}

    /**
     * {@code model.*}: a named architecture, or {@code custom} with its layers; or, with {@code init}, a pretrained
     * network (checkpoint folder, checkpoint pointer or ModelSerializer zip) fine-tuned with the layers up to
     * {@code freezeUpTo} (a layer name or 0-based index; empty = none) frozen, at {@code fineTuneLearningRate}
     * (0 = {@code train.learning-rate}).
     */
    public record ModelConfig(String architecture, java.util.List<LayerSpec> layers, String init, String freezeUpTo,
                              double fineTuneLearningRate) implements Serializable {
        public ModelConfig {
            layers = java.util.List.copyOf(layers);
        }

        /** A randomly initialised architecture (no {@code model.init}). */
        public ModelConfig(String architecture, java.util.List<LayerSpec> layers) {
            this(architecture, layers, "", "", 0.0);
        }

        public boolean pretrained() {
            return !init.isEmpty();
        }

        /** The base learning rate of the epoch schedule: the fine-tune rate when fine-tuning and one is set. */
        public double learningRate(TrainConfig train) {
            return pretrained() && fineTuneLearningRate > 0 ? fineTuneLearningRate : train.learningRate();
        }
    }

    /**
     * One layer of {@code model.layers}: {@code type} conv, pool, dropout, batch-norm or dense, with the fields that
     * type uses (others keep their defaults): filters, kernel, stride, padding (same/valid), activation, size, rate, units.
     */
    public record LayerSpec(String type, int filters, int kernel, int stride, String padding, String activation,
                            int size, double rate, int units) implements Serializable {}

    /** {@code early-stopping.*}. */
    public record EarlyStoppingConfig(boolean enabled, String monitor, int patience, double minDelta,
                                      boolean restoreBest) implements Serializable {}

    /** {@code train.*}: optimisation and parameter-averaging settings. */
    public record TrainConfig(int epochs, int batchSizePerWorker, int averagingFrequency, int workers,
                              Optimizer optimizer, double learningRate, double momentum, LrSchedule lrSchedule,
                              double lrDecay, int lrStepEpochs, int warmupEpochs, double l2, double weightDecay,
                              GradientNormalizationName gradientNormalization, double gradientNormalizationThreshold,
                              Loss loss, int workerPrefetch, String storageLevel, LrScaling lrScaling,
                              Trainer trainer, Exchange exchange, TrainingMetrics trainingMetrics)
            implements Serializable {
        /** The same settings with {@code workers} resolved (the trainer's count when the config says 0, auto). */
        public TrainConfig withWorkers(int resolved) {
            return new TrainConfig(epochs, batchSizePerWorker, averagingFrequency, resolved, optimizer, learningRate,
                    momentum, lrSchedule, lrDecay, lrStepEpochs, warmupEpochs, l2, weightDecay, gradientNormalization,
                    gradientNormalizationThreshold, loss, workerPrefetch, storageLevel, lrScaling, trainer, exchange,
                    trainingMetrics);
        }
    }

    /**
     * Values of {@code train.trainer}: our synchronous averaging on Spark primitives (workers keep their network
     * between rounds), or dl4j-spark's {@code ParameterAveragingTrainingMaster} driven one round at a time.
     */
    public enum Trainer { SPARK_AVERAGING, DL4J_SPARK }

    /**
     * Values of {@code train.exchange}, how {@code spark-averaging} averages: one Spark job per averaging round
     * (broadcast, tasks, tree aggregate), one barrier-mode job per epoch whose tasks exchange parameters with
     * {@code BarrierTaskContext.allGather}, or {@code auto}: barrier where the executors share the driver's JVM
     * ({@code local} masters), a job per round elsewhere.
     */
    public enum Exchange { AUTO, JOB_PER_ROUND, BARRIER }

    /**
     * Values of {@code train.training-metrics}, where an epoch's training loss and accuracy come from: the fitting
     * steps themselves (their loss and their own forward passes' predictions, before each update, as Keras and
     * PyTorch report them; no extra pass), or a full pass over the training split with the epoch's final network
     * after it (costs about a third of an epoch's fitting more).
     */
    public enum TrainingMetrics { FITTING, FULL_PASS }

    /**
     * Values of {@code train.lr-scaling}: the base learning rate times 1, the number of training workers, or its
     * square root. Parameter averaging takes one averaged step where one machine would take one per worker.
     */
    public enum LrScaling { NONE, LINEAR, SQRT }

    /** Values of {@code train.lr-schedule}. */
    public enum LrSchedule { NONE, STEP, EXPONENTIAL, COSINE }

    /** Values of {@code train.gradient-normalization}. */
    public enum GradientNormalizationName { NONE, CLIP_L2_PER_LAYER, CLIP_ELEMENT_WISE, RENORMALIZE_L2_PER_LAYER }

    /** Values of {@code train.loss}. */
    public enum Loss { CATEGORICAL, BINARY }

    /** {@code demo.*}: the synthetic corpus of the demo job. */
    public record DemoConfig(int classes, int imagesPerClass, int imageSize, String corpusUri) implements Serializable {}

    /** Layout names accepted by {@code corpus.layout}. */
    /** Values of {@code corpus.layout}; {@code DATAFRAME} is the Spark ML API's input, never a config value. */
    public enum CorpusLayoutName { AUTO, FOOD101, DIRECTORY, TRAIN_TEST, DATAFRAME }

    /** Values of {@code image.resize-mode}. */
    public enum ResizeMode { STRETCH, CENTER_CROP }

    /** Values of {@code ingest.decoder}. */
    public enum Decoder { OPENCV, IMAGEIO }

    /** Values of {@code train.optimizer}. */
    public enum Optimizer { ADAM, SGD }
}
