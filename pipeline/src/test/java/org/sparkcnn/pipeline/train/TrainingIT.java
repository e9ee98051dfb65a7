package org.sparkcnn.pipeline.train;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.demo.SyntheticCorpus;
import org.sparkcnn.pipeline.evaluate.EvaluateJob;
import org.sparkcnn.pipeline.evaluate.EvaluationResult;
import org.sparkcnn.pipeline.ingest.IngestJob;
import org.sparkcnn.pipeline.input.IndexedMinibatches;
import org.sparkcnn.pipeline.input.TrainingData;
import org.sparkcnn.pipeline.metrics.EpochMetrics;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;
import org.sparkcnn.pipeline.train.averaging.InJvmExchange;
import org.sparkcnn.pipeline.train.averaging.InJvmHandOff;
import org.sparkcnn.pipeline.train.averaging.SparkAveragingTrainer;
import org.sparkcnn.pipeline.train.distributed.DistributedTrainer;
import org.sparkcnn.pipeline.train.distributed.EpochFit;
import org.sparkcnn.pipeline.train.distributed.RoundCallback;
import org.sparkcnn.pipeline.train.distributed.WorkerHook;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training on local[2]: early stopping, the runs table and final pointer, and resume equivalence. */
class TrainingIT {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @BeforeAll
    static void corpus() {
        // local[2, 3]: two cores, up to three attempts per task, so injected task failures are retried.
        // Heartbeats every 100 ms (10 s by default): a barrier job's rounds reach the driver with them (LiveRounds).
        spark = org.apache.spark.sql.SparkSession.builder().config(org.sparkcnn.pipeline.spark.SparkSessionFactory
                .sparkConf(ConfigLoader.load(null, List.of()), "TrainingIT").setMaster("local[2,3]")
                .set("spark.executor.heartbeatInterval", "100ms")).getOrCreate();
        SyntheticCorpus.write(Storage.of(spark.sparkContext().hadoopConfiguration()),
                tmp.resolve("corpus").toUri().toString(), 3, 30, 32, 9);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static PipelineConfig config(String runId, String... extra) {
        List<String> o = new ArrayList<>(List.of("output.uri=" + tmp.resolve("wh").toUri(), "run.id=" + runId,
                "corpus.uri=" + tmp.resolve("corpus").toUri(), "image.height=16", "image.width=16",
                "split.validation-fraction=0.25", "train.batch-size-per-worker=8", "train.averaging-frequency=2",
                "train.learning-rate=0.005"));
        o.addAll(List.of(extra));
        PipelineConfig c = ConfigLoader.load(null, o);
        new IngestJob(QUIET).run(spark, c);
        return c;
    }

    /** The training input of run {@code runId}, which {@link #config} ingested. */
    static TrainingData trainingData(PipelineConfig c, String runId) {
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        RunLayout run = RunLayout.of(c.output().uri(), runId);
        return new TrainingData(storage, run, new org.sparkcnn.pipeline.shards.ManifestStore(storage).require(run),
                new org.sparkcnn.pipeline.augment.DataSetAugmenter(c.augment()));
    }

    /** {@code c}'s model for the 16x16x3 three-class corpus, initialised from its seed. */
    static org.deeplearning4j.nn.multilayer.MultiLayerNetwork initialNetwork(PipelineConfig c) {
        var init = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(org.sparkcnn.pipeline.model.ModelFactory
                .build(c.model(), 16, 16, 3, 3, c.train(), c.seed()));
        init.init();
        return init;
    }

    @Test
    void earlyStoppingStopsAtTheExpectedEpochAndRestoresTheBest() {
        // min-delta so large that no epoch after the first counts as an improvement: stop after 1 + patience epochs.
        PipelineConfig c = config("early", "train.epochs=10", "checkpoint.keep-last=1", "early-stopping.enabled=true",
                "early-stopping.monitor=val_loss", "early-stopping.patience=2", "early-stopping.min-delta=1000");
        TrainResult r = new TrainJob(QUIET).run(spark, c);
        assertTrue(r.stoppedEarly());
        assertEquals(3, r.epochs().size());
        assertEquals(1, r.bestEpoch());
        assertEquals("epoch-0001", r.finalCheckpoint());
        java.nio.file.Path cps = tmp.resolve("wh/early/checkpoints");
        assertTrue(java.nio.file.Files.isDirectory(cps.resolve("epoch-0001")), "best and final are kept");
        assertTrue(java.nio.file.Files.isDirectory(cps.resolve("epoch-0003")), "latest is kept");

        RunLayout run = RunLayout.of(c.output().uri(), "early");
        Row row = spark.read().parquet(Storage.join(run.metrics(), "runs")).first();
        assertEquals("EARLY_STOPPED", row.getAs("status"));
        assertEquals(1, (int) row.getAs("best_epoch"));
        assertEquals("early", row.getAs("run_id"));

        EvaluationResult eval = new EvaluateJob(QUIET).run(spark, c, "final");
        assertEquals("epoch-0001", eval.checkpoint());
        TrainResult again = new TrainJob(QUIET).run(spark, c);
        assertEquals(3, again.epochs().size(), "a stopped run stays stopped");
    }

    /** Counts the jobs Spark runs while it is registered. */
    static final class JobCounter extends org.apache.spark.scheduler.SparkListener {
        final java.util.concurrent.atomic.AtomicInteger jobs = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart job) {
            jobs.incrementAndGet();
        }
    }

    private static int jobsOf(Runnable run) {
        JobCounter counter = new JobCounter();
        spark.sparkContext().addSparkListener(counter);
        try {
            run.run();
        } finally {
            try {
                spark.sparkContext().listenerBus().waitUntilEmpty();
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("Spark's listener bus did not drain", e);
            }
            spark.sparkContext().removeSparkListener(counter);
        }
        return counter.jobs.get();
    }

    @Test
    void trainingAccuracyComesFromTheFittingStepsWithoutAPassOverTheTrainingSplit() throws Exception {
        TrainResult[] runs = new TrainResult[2];
        PipelineConfig fitting = config("acc-fitting", "train.epochs=2");
        PipelineConfig full = config("acc-full", "train.epochs=2", "train.training-metrics=full-pass");
        int fittingJobs = jobsOf(() -> runs[0] = new TrainJob(QUIET).run(spark, fitting));
        int fullJobs = jobsOf(() -> runs[1] = new TrainJob(QUIET).run(spark, full));
        assertEquals(2, fullJobs - fittingJobs, "full-pass adds one evaluation job per epoch; fitting adds none");

        // fitting: the epoch's accuracy is the rounds' correctly classified examples over the examples fitted
        List<String> rows = java.nio.file.Files.readAllLines(tmp.resolve("wh/acc-fitting/metrics/rounds.csv"));
        assertEquals("run_id,epoch,round,score,examples,seconds,correct", rows.get(0));
        for (int epoch = 1; epoch <= 2; epoch++) {
            long examples = 0;
            long correct = 0;
            for (String row : rows.subList(1, rows.size())) {
                String[] f = row.split(",");
                if (Integer.parseInt(f[1]) == epoch) {
                    examples += Long.parseLong(f[4]);
                    correct += Long.parseLong(f[6]);
                }
            }
            assertTrue(correct >= 0 && correct <= examples);
            assertEquals(correct / (double) examples, runs[0].epochs().get(epoch - 1).trainAccuracy(), 1e-12,
                    "epoch " + epoch + "'s training accuracy from its rounds");
        }
        // the same training either way (training-metrics is not a training setting)
        for (int i = 0; i < 2; i++) {
            assertEquals(runs[0].epochs().get(i).trainLoss(), runs[1].epochs().get(i).trainLoss(), 1e-9);
            assertEquals(runs[0].epochs().get(i).valLoss(), runs[1].epochs().get(i).valLoss(), 1e-9);
        }
        // full-pass: the accuracy of the epoch's final network over the whole training split
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        var network = new org.sparkcnn.pipeline.checkpoint.CheckpointStore(storage,
                RunLayout.of(full.output().uri(), "acc-full")).loadModel("epoch-0002");
        var pass = org.sparkcnn.pipeline.evaluate.DistributedEvaluator.evaluate(
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()), network,
                trainingData(full, "acc-full").evaluation(
                        org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()), "train", 8),
                List.of("a", "b", "c"), 1);
        assertEquals(pass.evaluation().accuracy(), runs[1].epochs().get(1).trainAccuracy(), 1e-12);
    }

    @Test
    void aRunResumedAfterEpochTwoEndsLikeAnUninterruptedOne() {
        // With the learning rate scaled for the 2 workers (sqrt), which a resumed run must apply the same way.
        TrainResult whole = new TrainJob(QUIET).run(spark, config("whole", "train.epochs=4", "train.lr-scaling=sqrt"));
        new TrainJob(QUIET).run(spark, config("interrupted", "train.epochs=2", "train.lr-scaling=sqrt"));
        TrainResult resumed = new TrainJob(QUIET).run(spark, config("interrupted", "train.epochs=4", "train.lr-scaling=sqrt"));
        assertTrue(resumed.resumed());
        for (EpochMetrics e : resumed.epochs()) {
            assertEquals(0.005 * Math.sqrt(2), e.learningRate(), 1e-12, "learning rate x sqrt(2 workers), epoch " + e.epoch());
        }
        assertEquals(4, resumed.epochs().size());
        try (var dirs = java.nio.file.Files.list(tmp.resolve("wh/interrupted/checkpoints"))) {
            List<String> kept = dirs.filter(java.nio.file.Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
            assertTrue(kept.containsAll(List.of("epoch-0002", "epoch-0003", "epoch-0004")), kept.toString());
            assertTrue(kept.size() <= 4, "the last 3 and the best: " + kept);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (int i = 0; i < 4; i++) {
            EpochMetrics a = whole.epochs().get(i);
            EpochMetrics b = resumed.epochs().get(i);
            assertEquals(a.trainLoss(), b.trainLoss(), 1e-4, "train loss, epoch " + (i + 1));
            assertEquals(a.valLoss(), b.valLoss(), 1e-4, "val loss, epoch " + (i + 1));
            assertEquals(a.valAccuracy(), b.valAccuracy(), 1e-9, "val accuracy, epoch " + (i + 1));
        }
        assertFalse(Double.isNaN(whole.epochs().get(3).valLoss()));
        Row row = spark.read().parquet(Storage.join(RunLayout.of(tmp.resolve("wh").toUri().toString(), "interrupted").metrics(),
                "epochs")).groupBy().count().first();
        assertEquals(4L, row.getLong(0), "a resumed run's epochs table has one row per epoch");
        var rounds = spark.read().parquet(Storage.join(RunLayout.of(tmp.resolve("wh").toUri().toString(), "interrupted")
                .metrics(), "rounds"));
        assertTrue(rounds.count() >= 4, "rounds of all four epochs");
        assertEquals(rounds.count(), rounds.select("epoch", "round").distinct().count(), "rounds keyed (epoch, round)");
    }

    static final java.util.concurrent.atomic.AtomicInteger INJECTED_FAILURES = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * Fails the first attempt of a task that trains partition 0, after it has fitted one minibatch, twice in all: a
     * job per round retries the task, a barrier job is run again whole (a new job, whose attempts count from 0).
     */
    static final class FailFirstAttempt implements WorkerHook {
        @Override
        public void afterMinibatch(org.nd4j.linalg.dataset.api.DataSet ds, org.deeplearning4j.nn.api.Model m) {
            org.apache.spark.TaskContext t = org.apache.spark.TaskContext.get();
            if (t.partitionId() == 0 && t.attemptNumber() == 0 && INJECTED_FAILURES.getAndIncrement() < 2) {
                throw new IllegalStateException("injected failure in a training task");
            }
        }
    }

    /** Our trainer with either exchange, and dl4j-spark's where this Spark line builds it (3.5 only). */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> trainersOfThisLine() {
        var ours = java.util.stream.Stream.of(org.junit.jupiter.params.provider.Arguments.of("spark-averaging", "job-per-round"),
                org.junit.jupiter.params.provider.Arguments.of("spark-averaging", "barrier"));
        return org.sparkcnn.pipeline.config.BuildLine.current().dl4jSparkTrainer()
                ? java.util.stream.Stream.concat(ours,
                        java.util.stream.Stream.of(org.junit.jupiter.params.provider.Arguments.of("dl4j-spark", "job-per-round")))
                : ours;
    }

    /** The clean run takes any RDD (counted first), the faulty one the training job's manifest-positioned input. */
    @ParameterizedTest
    @MethodSource("trainersOfThisLine")
    void everyExampleIsFittedExactlyOncePerEpochDespiteUnevenPartitionsAndRetriedTasks(String trainerKind, String exchange) {
        // 7-example shards, batches of 5, 2 workers averaging every 2 minibatches: nothing divides evenly.
        PipelineConfig c = config("exactly-once", "ingest.examples-per-shard=7", "train.batch-size-per-worker=5",
                "train.trainer=" + trainerKind, "train.exchange=" + exchange);
        org.apache.spark.api.java.JavaSparkContext sc =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        RunLayout run = RunLayout.of(c.output().uri(), "exactly-once");
        var manifest = new org.sparkcnn.pipeline.shards.ManifestStore(storage).require(run);
        TrainingData data = new TrainingData(storage, run, manifest,
                new org.sparkcnn.pipeline.augment.DataSetAugmenter(c.augment()));
        long expected = data.examples("train");
        assertTrue(expected % 5 != 0, "uneven on purpose: " + expected);

        var init = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(org.sparkcnn.pipeline.model.ModelFactory
                .build(c.model(), 16, 16, 3, 3, c.train(), c.seed()));
        init.init();
        EpochFit clean;
        org.nd4j.linalg.api.ndarray.INDArray cleanParams;
        try (var trainer = Trainers.create(sc, org.sparkcnn.pipeline.model.Network.of(init.clone()), c.train(), c.seed(), "clean", QUIET, List.of())) {
            clean = trainer.fitEpoch(data.trainingEpoch(sc, 5, c.seed(), 1), 1);
            cleanParams = trainer.network().params().dup();
        }
        EpochFit faulty;
        org.nd4j.linalg.api.ndarray.INDArray faultyParams;
        try (var trainer = Trainers.create(sc, org.sparkcnn.pipeline.model.Network.of(init.clone()), c.train(), c.seed(), "faulty", QUIET,
                List.of(new FailFirstAttempt()))) {
            // the training job's input path: positions from the manifest, no counting pass
            INJECTED_FAILURES.set(0);
            faulty = trainer.fitEpoch(data.indexedTrainingEpoch(sc, 5, c.seed(), 1, 2), 1, 0, RoundCallback.NONE);
            faultyParams = trainer.network().params().dup();
        }
        assertEquals(expected, clean.examples(), "every example once");
        assertEquals(expected, faulty.examples(), "every example once, retried tasks counted once");
        assertEquals(clean.minibatches(), faulty.minibatches());
        assertEquals(expected, clean.rounds().stream().mapToLong(r -> r.examples()).sum(), "rounds add up");
        assertTrue(clean.rounds().size() >= 2, "several averaging rounds: " + clean.rounds().size());
        assertEquals(clean.rounds().size(), faulty.rounds().size());
        assertTrue(cleanParams.equalsWithEps(faultyParams, 1e-5), "a retried epoch ends with the same parameters");
        assertTrue(INJECTED_FAILURES.get() > 2, "both injected failures happened: " + INJECTED_FAILURES.get());
        assertEquals(0, InJvmExchange.open(), "the failed barrier attempts' rendezvous were dropped");
        assertEquals(0, InJvmHandOff.held(), "no network state is left handed over, a failed attempt's included");
    }

    @Test
    void theManifestGivesEveryMinibatchItsPositionInTheEpochWithoutACountingPass() {
        PipelineConfig c = config("positions", "ingest.examples-per-shard=7");
        org.apache.spark.api.java.JavaSparkContext sc =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        RunLayout run = RunLayout.of(c.output().uri(), "positions");
        var manifest = new org.sparkcnn.pipeline.shards.ManifestStore(storage).require(run);
        TrainingData data = new TrainingData(storage, run, manifest,
                new org.sparkcnn.pipeline.augment.DataSetAugmenter(c.augment()));
        List<org.nd4j.linalg.dataset.DataSet> inOrder = data.trainingEpoch(sc, 5, 42, 3).collect();
        int shards = manifest.shardsOf("train").size();
        // one task per shard, and each shard split over 2 and 3 tasks: the same minibatches at the same positions
        for (int minTasks : new int[] {1, 2 * shards, 3 * shards}) {
            IndexedMinibatches indexed = data.indexedTrainingEpoch(sc, 5, 42, 3, minTasks);
            assertEquals(inOrder.size(), indexed.count(), "ceil(7 / 5) = 2 minibatches per 7-example shard");
            // a shard holds at most 2 minibatches: split, each minibatch gets its own task
            assertEquals(minTasks <= shards ? shards : indexed.count(), indexed.finished().getNumPartitions(),
                    "tasks preparing the input for minTasks " + minTasks);
            List<scala.Tuple2<Long, org.nd4j.linalg.dataset.DataSet>> positioned = indexed.finished().sortByKey().collect();
            assertEquals(inOrder.size(), positioned.size());
            for (int i = 0; i < positioned.size(); i++) {
                assertEquals(i, positioned.get(i)._1().longValue(), "positions 0..count-1, each once");
                assertEquals(inOrder.get(i).getFeatures(), positioned.get(i)._2().getFeatures(), "minibatch " + i);
                assertEquals(inOrder.get(i).getLabels(), positioned.get(i)._2().getLabels(), "minibatch " + i);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("trainersOfThisLine")
    void twoWorkersAveragingEveryStepWithPlainSgdEqualOneMachineOnTheCombinedBatch(String trainerKind, String exchange) {
        PipelineConfig c = ConfigLoader.load(null, List.of("train.trainer=" + trainerKind, "train.exchange=" + exchange,
                "train.optimizer=sgd", "train.momentum=0",
                "train.learning-rate=0.05", "train.workers=2", "train.averaging-frequency=1",
                "train.batch-size-per-worker=8", "train.worker-prefetch=0"));
        var init = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(org.sparkcnn.pipeline.model.ModelFactory
                .build(c.model(), 16, 16, 3, 3, c.train(), 5));
        init.init();
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(3);
        List<org.nd4j.linalg.dataset.DataSet> batches = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            var labels = org.nd4j.linalg.factory.Nd4j.zeros(8, 3);
            for (int i = 0; i < 8; i++) {
                labels.putScalar(i, (i + b) % 3, 1.0);
            }
            batches.add(new org.nd4j.linalg.dataset.DataSet(org.nd4j.linalg.factory.Nd4j.rand(8, 3, 16, 16), labels));
        }
        org.apache.spark.api.java.JavaSparkContext sc =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        org.nd4j.linalg.api.ndarray.INDArray averaged;
        try (var trainer = Trainers.create(sc, org.sparkcnn.pipeline.model.Network.of(init.clone()), c.train(), c.seed(), "equivalence", QUIET, List.of())) {
            EpochFit fit = trainer.fitEpoch(sc.parallelize(batches, 1), 1);
            assertEquals(1, fit.rounds().size(), "one round: one minibatch per worker");
            assertEquals(16, fit.examples());
            averaged = trainer.network().params().dup();
        }
        var single = init.clone();
        single.fit(org.nd4j.linalg.dataset.DataSet.merge(batches));
        assertTrue(averaged.equalsWithEps(single.params(), 1e-5),
                "max difference " + averaged.sub(single.params()).amaxNumber());
        assertFalse(averaged.equalsWithEps(init.params(), 1e-4), "the step moved the parameters");
    }

    @Test
    void aComputationGraphTrainsChecksAndEvaluatesThroughTheSameSeam() {
        // one worker: each round returns ResNet-50's parameters and Adam state (283 MB) once, which the preflight's
        // local-mode heap check accepts in this 3 GiB test JVM (two workers' results would not fit)
        PipelineConfig c = config("resnet", "model.architecture=resnet50", "image.height=32", "image.width=32",
                "train.epochs=1", "train.averaging-frequency=5", "train.workers=1");
        TrainResult r = new TrainJob(QUIET).run(spark, c);
        assertEquals(1, r.epochs().size());
        assertTrue(Double.isFinite(r.epochs().get(0).trainLoss()));
        EvaluationResult eval = new EvaluateJob(QUIET).run(spark, c, "final");
        assertEquals(3, eval.confusion().length);
        assertTrue(eval.examples() > 0);
    }

    static final java.util.concurrent.atomic.AtomicLong EXAMPLES_FITTED = new java.util.concurrent.atomic.AtomicLong();
    static volatile long failAtExamples = Long.MAX_VALUE;

    /** Kills every training task once the run has fitted {@code failAtExamples} examples: a driver that dies mid-epoch. */
    static final class FailAfterExamples implements WorkerHook {
        @Override
        public void beforeMinibatch(org.nd4j.linalg.dataset.api.DataSet ds, org.deeplearning4j.nn.api.Model m) {
            if (EXAMPLES_FITTED.get() >= failAtExamples) {
                throw new IllegalStateException("injected: the run dies here");
            }
        }

        @Override
        public void afterMinibatch(org.nd4j.linalg.dataset.api.DataSet ds, org.deeplearning4j.nn.api.Model m) {
            EXAMPLES_FITTED.addAndGet(ds.numExamples());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"job-per-round", "barrier"})
    void aRunKilledMidEpochResumesAtTheNextRoundAndEndsLikeAnUninterruptedOne(String exchange) throws Exception {
        // checkpoints every 2 rounds: a barrier job runs 2 rounds; the run dies in round 3 of epoch 2
        String[] settings = {"train.epochs=2", "checkpoint.every-rounds=2", "train.batch-size-per-worker=4",
                "train.averaging-frequency=1", "train.exchange=" + exchange};
        TrainResult whole = new TrainJob(QUIET).run(spark, config("mid-whole-" + exchange, settings));
        List<String> rounds = java.nio.file.Files.readAllLines(tmp.resolve("wh/mid-whole-" + exchange + "/metrics/rounds.csv"));
        long epochOne = whole.epochs().isEmpty() ? 0 : rounds.stream().skip(1).filter(l -> l.split(",")[1].equals("1"))
                .mapToLong(l -> Long.parseLong(l.split(",")[4])).sum();
        long firstTwoRoundsOfEpochTwo = rounds.stream().skip(1).filter(l -> l.split(",")[1].equals("2"))
                .limit(2).mapToLong(l -> Long.parseLong(l.split(",")[4])).sum();

        EXAMPLES_FITTED.set(0);
        failAtExamples = epochOne + firstTwoRoundsOfEpochTwo;   // dies in round 3 of epoch 2
        PipelineConfig cut = config("mid-cut-" + exchange, settings);
        try {
            org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                    () -> new TrainJob(QUIET, List.of(new FailAfterExamples())).run(spark, cut));
        } finally {
            failAtExamples = Long.MAX_VALUE;
        }
        String latest = java.nio.file.Files.readString(tmp.resolve("wh/mid-cut-" + exchange + "/checkpoints/latest")).trim();
        assertEquals("epoch-0002-round-00002", latest, "the last complete round's checkpoint");

        TrainResult resumed = new TrainJob(QUIET).run(spark, cut);
        assertEquals(2, resumed.epochs().size());
        for (int e = 0; e < 2; e++) {
            assertEquals(whole.epochs().get(e).trainLoss(), resumed.epochs().get(e).trainLoss(), 1e-4, "train loss " + (e + 1));
            assertEquals(whole.epochs().get(e).valLoss(), resumed.epochs().get(e).valLoss(), 1e-4, "val loss " + (e + 1));
            assertEquals(whole.epochs().get(e).valAccuracy(), resumed.epochs().get(e).valAccuracy(), 1e-9);
        }
        try (var dirs = java.nio.file.Files.list(tmp.resolve("wh/mid-cut-" + exchange + "/checkpoints"))) {
            assertTrue(dirs.noneMatch(d -> d.getFileName().toString().contains("-round-")),
                    "mid-epoch checkpoints are removed once their epoch is complete");
        }
    }

    @Test
    void bothExchangesAndBothBarrierTransportsUpdateTheNetworkBitForBitAlike() {
        // uneven rounds (7-example shards, batches of 5, a last round where one worker fits one minibatch fewer),
        // Adam, and dropout (the RNG of each worker's round)
        PipelineConfig c = config("exchanges", "ingest.examples-per-shard=7", "train.batch-size-per-worker=5",
                "model.architecture=custom", "model.layers=[{type = conv, filters = 4, kernel = 3, activation = relu},"
                        + " {type = pool, size = 2}, {type = dropout, rate = 0.25}, {type = dense, units = 8, activation = relu}]");
        org.apache.spark.api.java.JavaSparkContext sc =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingData data = trainingData(c, "exchanges");
        var init = initialNetwork(c);
        List<EpochFit> fits = new ArrayList<>();
        List<org.sparkcnn.pipeline.model.Network> ends = new ArrayList<>();
        for (String variant : List.of("job-per-round", "in-jvm", "all-gather")) {
            PipelineConfig.TrainConfig t = ConfigLoader.load(null, List.of("train.batch-size-per-worker=5",
                    "train.averaging-frequency=2", "train.learning-rate=0.005",
                    "train.exchange=" + (variant.equals("job-per-round") ? "job-per-round" : "barrier"))).train();
            try (var trainer = new SparkAveragingTrainer(sc, org.sparkcnn.pipeline.model.Network.of(init.clone()), t,
                    c.seed(), "exchanges-" + variant, QUIET, List.of(), !variant.equals("all-gather"))) {
                assertEquals(!variant.equals("job-per-round"), trainer.barrier(), variant);
                for (int epoch = 1; epoch <= 2; epoch++) {
                    fits.add(trainer.fitEpoch(data.indexedTrainingEpoch(sc, 5, c.seed(), epoch, 2), epoch, 0,
                            RoundCallback.NONE));
                }
                ends.add(trainer.network());
            }
        }
        assertTrue(fits.get(0).rounds().size() >= 3, "several rounds: " + fits.get(0).rounds().size());
        assertFalse(ends.get(0).params().equalsWithEps(init.params(), 1e-4), "training moved the parameters");
        for (int v = 1; v < 3; v++) {
            assertEquals(0.0, ends.get(0).params().sub(ends.get(v).params()).amaxNumber().doubleValue(), "params, variant " + v);
            assertEquals(0.0, ends.get(0).updaterState().sub(ends.get(v).updaterState()).amaxNumber().doubleValue(),
                    "Adam state, variant " + v);
            assertEquals(ends.get(0).iterationCount(), ends.get(v).iterationCount(), "update counter, variant " + v);
            for (int epoch = 0; epoch < 2; epoch++) {
                EpochFit a = fits.get(epoch);
                EpochFit b = fits.get(2 * v + epoch);
                assertEquals(a.examples(), b.examples());
                assertEquals(a.minibatches(), b.minibatches());
                for (int r = 0; r < a.rounds().size(); r++) {
                    assertEquals(a.rounds().get(r).examples(), b.rounds().get(r).examples(), "round " + (r + 1));
                    assertEquals(a.rounds().get(r).score(), b.rounds().get(r).score(), 0.0, "round " + (r + 1));
                }
            }
        }
        assertEquals(0, InJvmExchange.open());
    }

    /** Holds back every minibatch of one worker (partition) of a round: its task ends after the others'. */
    static final class SlowWorker implements WorkerHook {
        private final int worker;

        SlowWorker(int worker) {
            this.worker = worker;
        }

        @Override
        public void beforeMinibatch(org.nd4j.linalg.dataset.api.DataSet ds, org.deeplearning4j.nn.api.Model m) {
            org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
            if (task != null && task.partitionId() == worker) {
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    @Test
    void aJobPerRoundSumsItsWorkersInWorkerOrderWhateverOrderTheirTasksEndIn() {
        // 3 workers on 2 cores: with worker 2 held back the round's tasks end 0/1, 1/0, 2; with worker 0 held back
        // they end 1, 2, 0 (as after a retried task or a lost executor). Float addition is not associative: a sum in
        // the order results arrive, (w1 + w2) + w0 against (w0 + w1) + w2, differs in its last bits.
        PipelineConfig c = config("worker-order");
        org.apache.spark.api.java.JavaSparkContext sc =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingData data = trainingData(c, "worker-order");
        var init = initialNetwork(c);
        List<org.sparkcnn.pipeline.model.Network> ends = new ArrayList<>();
        List<EpochFit> fits = new ArrayList<>();
        for (int slow : new int[] {2, 0}) {
            PipelineConfig.TrainConfig t = ConfigLoader.load(null, List.of("train.batch-size-per-worker=4",
                    "train.averaging-frequency=1", "train.learning-rate=0.005", "train.workers=3",
                    "train.exchange=job-per-round")).train();
            try (var trainer = new SparkAveragingTrainer(sc, org.sparkcnn.pipeline.model.Network.of(init.clone()), t,
                    c.seed(), "worker-order-" + slow, QUIET, List.of(new SlowWorker(slow)), true)) {
                fits.add(trainer.fitEpoch(data.indexedTrainingEpoch(sc, 4, c.seed(), 1, 2), 1, 0, RoundCallback.NONE));
                ends.add(trainer.network());
            }
        }
        assertTrue(fits.get(0).rounds().size() >= 3, "several rounds: " + fits.get(0).rounds().size());
        assertFalse(ends.get(0).params().equalsWithEps(init.params(), 1e-4), "training moved the parameters");
        assertEquals(0.0, ends.get(0).params().sub(ends.get(1).params()).amaxNumber().doubleValue(), "params");
        assertEquals(0.0, ends.get(0).updaterState().sub(ends.get(1).updaterState()).amaxNumber().doubleValue(),
                "Adam state");
        for (int r = 0; r < fits.get(0).rounds().size(); r++) {
            assertEquals(fits.get(0).rounds().get(r).score(), fits.get(1).rounds().get(r).score(), 0.0,
                    "round " + (r + 1));
        }
    }

    /** Fails every minibatch: a fault that retrying cannot fix. */
    static final class AlwaysFail implements WorkerHook {
        @Override
        public void beforeMinibatch(org.nd4j.linalg.dataset.api.DataSet ds, org.deeplearning4j.nn.api.Model m) {
            throw new IllegalStateException("injected: this worker always fails");
        }
    }

    @Test
    void aBarrierJobThatKeepsFailingStopsAfterSparksStageAttemptsAndSaysSo() {
        PipelineConfig c = config("always-fails", "train.exchange=barrier");
        org.apache.spark.api.java.JavaSparkContext sc =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingData data = trainingData(c, "always-fails");
        var init = initialNetwork(c);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (var trainer = Trainers.create(sc, org.sparkcnn.pipeline.model.Network.of(init), c.train(),
                c.seed(), "always-fails", new PrintStream(console, true), List.of(new AlwaysFail()))) {
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> trainer.fitEpoch(data.indexedTrainingEpoch(sc, 8, c.seed(), 1, 2), 1, 0, RoundCallback.NONE));
            assertTrue(e.getMessage().contains("failed 4 time(s) (spark.stage.maxConsecutiveAttempts = 4)"), e.getMessage());
            assertTrue(console.toString().contains("running it again (attempt 4 of 4)"), console.toString());
        }
        assertEquals(0, InJvmExchange.open());
    }

    /** Counts completed shuffle map stages (a listener on the shared context). */
    static final class MapStages extends org.apache.spark.scheduler.SparkListener {
        final java.util.concurrent.atomic.AtomicInteger completed = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted stage) {
            if (stage.stageInfo().shuffleDepId().isDefined() && stage.stageInfo().failureReason().isEmpty()) {
                completed.incrementAndGet();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"job-per-round", "barrier"})
    void anEpochPreparedAheadTrainsOnTheShuffleWrittenInTheBackgroundWithTheSameResult(String exchange) throws Exception {
        PipelineConfig c = config("ahead-" + exchange, "ingest.examples-per-shard=7", "train.batch-size-per-worker=5",
                "train.exchange=" + exchange);
        org.apache.spark.api.java.JavaSparkContext sc =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingData data = trainingData(c, "ahead-" + exchange);
        var init = initialNetwork(c);
        List<org.nd4j.linalg.api.ndarray.INDArray> ends = new ArrayList<>();
        MapStages stages = new MapStages();
        spark.sparkContext().addSparkListener(stages);
        try {
            for (boolean ahead : new boolean[] {false, true}) {
                try (var trainer = Trainers.create(sc, org.sparkcnn.pipeline.model.Network.of(init.clone()),
                        c.train(), c.seed(), "ahead-" + ahead, QUIET, List.of())) {
                    IndexedMinibatches input = data.indexedTrainingEpoch(sc, 5, c.seed(), 1, 2);
                    stages.completed.set(0);
                    if (ahead) {
                        trainer.prepare(input);
                        long deadline = System.nanoTime() + 60_000_000_000L;
                        while (stages.completed.get() == 0 && System.nanoTime() < deadline) {
                            Thread.sleep(10);
                        }
                        assertEquals(1, stages.completed.get(), "the prepared epoch's map stage ran in the background");
                    }
                    stages.completed.set(0);
                    EpochFit fit = trainer.fitEpoch(input, 1, 0, RoundCallback.NONE);
                    spark.sparkContext().listenerBus().waitUntilEmpty();
                    assertEquals(ahead ? 0 : 1, stages.completed.get(), "map stages run by the epoch, prepared " + ahead);
                    assertEquals(data.examples("train"), fit.examples());
                    ends.add(trainer.network().params().dup());
                }
            }
        } finally {
            spark.sparkContext().removeSparkListener(stages);
        }
        assertEquals(0.0, ends.get(0).sub(ends.get(1)).amaxNumber().doubleValue(), "the same training either way");
    }

    /** Which job first ran each shuffle map stage: prepared ones run in a map-stage job of their own. */
    static final class MapStageJobs extends org.apache.spark.scheduler.SparkListener {
        final java.util.Map<Integer, Integer> stagesOfJob = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.Map<Integer, Integer> jobOfStage = new java.util.concurrent.ConcurrentHashMap<>();
        final List<Integer> ranMapStages = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart job) {
            stagesOfJob.put(job.jobId(), job.stageIds().size());
            scala.collection.JavaConverters.seqAsJavaList(job.stageIds())
                    .forEach(stage -> jobOfStage.putIfAbsent((Integer) stage, job.jobId()));
        }

        @Override
        public void onStageCompleted(org.apache.spark.scheduler.SparkListenerStageCompleted stage) {
            if (stage.stageInfo().shuffleDepId().isDefined() && stage.stageInfo().failureReason().isEmpty()) {
                ranMapStages.add(stage.stageInfo().stageId());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"job-per-round", "barrier"})
    void everyEpochsShuffleIsWrittenAheadOnceTheFirstOneIncluded(String exchange) throws Exception {
        PipelineConfig c = config("every-ahead-" + exchange, "train.epochs=3", "train.exchange=" + exchange,
                "split.validation-fraction=0");
        MapStageJobs jobs = new MapStageJobs();
        spark.sparkContext().addSparkListener(jobs);
        try {
            new TrainJob(QUIET).run(spark, c);
            spark.sparkContext().listenerBus().waitUntilEmpty();
        } finally {
            spark.sparkContext().removeSparkListener(jobs);
        }
        // the training shuffles (one per epoch), each run by a job of that map stage alone (submitMapStage); the
        // evaluation passes shuffle nothing
        assertEquals(3, jobs.ranMapStages.size(), "map stages run: " + jobs.ranMapStages);
        for (int stage : jobs.ranMapStages) {
            assertEquals(1, jobs.stagesOfJob.get(jobs.jobOfStage.get(stage)),
                    "map stage " + stage + " ran inside a job of several stages, not prepared ahead");
        }
    }

    /** The 9th minibatch fitted (round 3 of 2 workers x 2 minibatches) waits until the console shows round 2. */
    static final class AwaitRoundLine implements WorkerHook {
        static final java.util.concurrent.atomic.AtomicInteger CALLS = new java.util.concurrent.atomic.AtomicInteger();
        static volatile ByteArrayOutputStream console;
        static volatile boolean sawRoundTwoWhileRunning;

        @Override
        public void beforeMinibatch(org.nd4j.linalg.dataset.api.DataSet ds, org.deeplearning4j.nn.api.Model m) {
            if (CALLS.incrementAndGet() != 9) {
                return;
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (console.toString().contains("epoch 1 round 2/")) {
                    sawRoundTwoWhileRunning = true;
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Test
    void aBarrierJobsRoundsArePrintedWhileItRunsEachOnce() {
        PipelineConfig c = config("live-rounds", "train.batch-size-per-worker=5", "train.exchange=barrier");
        org.apache.spark.api.java.JavaSparkContext sc =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingData data = trainingData(c, "live-rounds");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        AwaitRoundLine.console = console;
        AwaitRoundLine.CALLS.set(0);
        AwaitRoundLine.sawRoundTwoWhileRunning = false;
        EpochFit fit;
        try (var trainer = Trainers.create(sc, org.sparkcnn.pipeline.model.Network.of(initialNetwork(c)),
                c.train(), c.seed(), "live-rounds", new PrintStream(console, true), List.of(new AwaitRoundLine()))) {
            fit = trainer.fitEpoch(data.indexedTrainingEpoch(sc, 5, c.seed(), 1, 2), 1, 0, RoundCallback.NONE);
        }
        assertTrue(fit.rounds().size() >= 3, "rounds: " + fit.rounds().size());
        assertTrue(AwaitRoundLine.sawRoundTwoWhileRunning,
                "round 2 was printed while the barrier job still ran round 3: " + console);
        List<String> lines = console.toString().lines().filter(l -> l.contains("epoch 1 round ")).toList();
        assertEquals(fit.rounds().size(), lines.size(), "one line per round: " + lines);
        for (int r = 1; r <= fit.rounds().size(); r++) {
            assertTrue(lines.get(r - 1).contains("epoch 1 round " + r + "/" + fit.rounds().size() + ":"), lines.toString());
            assertEquals(r, fit.rounds().get(r - 1).round());
        }
        assertEquals(data.examples("train"), fit.examples());
    }
}
