package org.sparkcnn.pipeline.train;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.checkpoint.TrainerState;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.demo.SyntheticCorpus;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.evaluate.EvaluateJob;
import org.sparkcnn.pipeline.evaluate.EvaluationResult;
import org.sparkcnn.pipeline.ingest.IngestJob;
import org.sparkcnn.pipeline.ingest.IngestResult;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.ShardSource;
import org.sparkcnn.pipeline.spark.SparkSessionFactory;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;
import org.sparkcnn.pipeline.testing.RunFolders;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run folder as state that reruns, crashes and tampered files cannot corrupt (docs/faults.md): re-ingests that
 * fail or change the data, {@code --overwrite}, tampered pointers, truncated model files, corrupted shards, a
 * resume on a cluster of another size, and image files too large to read. Each fault is injected into a real run.
 */
class RunStateIT {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Storage storage;

    @BeforeAll
    static void corpora() throws IOException {
        spark = SparkSession.builder().config(SparkSessionFactory.sparkConf(ConfigLoader.load(null, List.of()),
                "RunStateIT").setMaster("local[2,3]")).getOrCreate();
        storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        SyntheticCorpus.write(storage, tmp.resolve("three").toUri().toString(), 3, 24, 32, 9);
        SyntheticCorpus.write(storage, tmp.resolve("two").toUri().toString(), 2, 24, 32, 9);
        // three classes and two files no decoder reads: fine at the default bad fraction of 0.1 below, not at 0
        SyntheticCorpus.write(storage, tmp.resolve("dirty").toUri().toString(), 3, 24, 32, 9);
        Files.write(tmp.resolve("dirty/images/circle/empty.jpg"), new byte[0]);
        Files.write(tmp.resolve("dirty/images/square/garbage.jpg"), "not a jpeg".getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static PipelineConfig config(String runId, String corpus, String... extra) {
        List<String> o = new ArrayList<>(List.of("output.uri=" + tmp.resolve("wh").toUri(), "run.id=" + runId,
                "corpus.uri=" + tmp.resolve(corpus).toUri(), "image.height=16", "image.width=16",
                "split.validation-fraction=0.25", "train.batch-size-per-worker=8", "train.averaging-frequency=2",
                "train.learning-rate=0.005", "train.epochs=1", "ingest.max-bad-fraction=0.1"));
        o.addAll(List.of(extra));
        return ConfigLoader.load(null, o);
    }

    static IngestResult ingest(PipelineConfig c) {
        return new IngestJob(quiet()).run(spark, c);
    }

    static TrainResult train(PipelineConfig c) {
        return new TrainJob(quiet()).run(spark, c);
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    static RunLayout layout(String runId) {
        return RunLayout.of(tmp.resolve("wh").toUri().toString(), runId);
    }

    static ShardManifest manifest(String runId) {
        return new ManifestStore(storage).require(layout(runId));
    }

    /** What the CLI sees: a bad input anywhere in the chain (Spark wraps what executors throw) exits 2. */
    static BadInputException badInput(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BadInputException b) {
                return b;
            }
        }
        throw new AssertionError("not a bad input (exit 1, not 2)", e);
    }

    static BadInputException refused(Runnable r) {
        Throwable e = assertThrows(Throwable.class, r::run);
        return badInput(e);
    }

    /** A run ingested from the three-class corpus for two epochs, of which one is trained. */
    static PipelineConfig oneOfTwoEpochsTrained(String runId, String... extra) {
        List<String> settings = new ArrayList<>(List.of("train.epochs=2"));
        settings.addAll(List.of(extra));
        PipelineConfig c = config(runId, "three", settings.toArray(String[]::new));
        ingest(c);
        settings.set(0, "train.epochs=1");
        train(config(runId, "three", settings.toArray(String[]::new)));
        return c;
    }

    static Path runDir(String runId) {
        return tmp.resolve("wh").resolve(runId);
    }

    static void readEveryShard(String runId) {
        ShardManifest m = manifest(runId);
        ShardSource source = ShardSource.of(storage, layout(runId), m);
        for (ShardInfo s : m.shards()) {
            assertEquals(s.examples(), source.read(s.path()).numExamples(), s.path());
        }
    }

    @Test
    void aReingestThatFailsMaxBadFractionLeavesTheCommittedIngestWhole() {
        PipelineConfig first = config("failed-reingest", "dirty");
        IngestResult committed = ingest(first);
        assertEquals(2, committed.manifest().quarantined());
        String before = committed.manifest().dataHash();
        train(first);

        PipelineConfig strict = config("failed-reingest", "dirty", "ingest.max-bad-fraction=0", "output.overwrite=true");
        BadInputException e = refused(() -> ingest(strict));
        assertTrue(e.getMessage().contains("ingest.max-bad-fraction") && e.getMessage().contains("previous ingest is unchanged"),
                e.getMessage());

        assertEquals(before, manifest("failed-reingest").dataHash(), "the committed manifest is the one before");
        readEveryShard("failed-reingest");
        EvaluationResult eval = new EvaluateJob(quiet()).run(spark, first, "final");
        assertTrue(eval.examples() > 0);
        try (Stream<Path> gens = Files.list(runDir("failed-reingest").resolve("ingest"))) {
            List<Path> all = gens.toList();
            assertEquals(2, all.size(), "the committed generation and the failed one's quarantine: " + all);
            assertEquals(1, all.stream().filter(g -> Files.isDirectory(g.resolve("shards"))).count(),
                    "only the committed generation has shards");
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        // the next successful ingest removes every other generation
        ingest(config("failed-reingest", "dirty", "ingest.max-bad-fraction=0.2", "output.overwrite=true"));
        RunFolders.onlyGeneration(runDir("failed-reingest"));
    }

    @Test
    void resumeAfterReingestWithOtherClassesStopsSayingWhatChangedUntilTrainingStartsOver() {
        PipelineConfig three = config("reingested", "three", "train.epochs=2");
        ingest(three);
        new TrainJob(quiet()).run(spark, config("reingested", "three", "train.epochs=1"));
        ingest(config("reingested", "two", "train.epochs=2", "output.overwrite=true"));

        PipelineConfig two = config("reingested", "two", "train.epochs=2");
        BadInputException resume = refused(() -> train(two));
        assertTrue(resume.getMessage().contains("[circle, square, triangle]")
                && resume.getMessage().contains("[circle, square]") && resume.getMessage().contains("--overwrite"),
                resume.getMessage());
        BadInputException evaluate = refused(() -> new EvaluateJob(quiet()).run(spark, two, "latest"));
        assertTrue(evaluate.getMessage().contains("another ingest"), evaluate.getMessage());

        ByteArrayOutputStream console = new ByteArrayOutputStream();
        TrainResult over = new TrainJob(new PrintStream(console)).run(spark,
                config("reingested", "two", "train.epochs=2", "output.overwrite=true"));
        assertFalse(over.resumed());
        assertEquals(2, over.epochs().size());
        assertTrue(console.toString().contains("starting run"), console.toString());
        assertEquals(2, new EvaluateJob(quiet()).run(spark, two, "final").classes().size());
    }

    @Test
    void overwriteStartsTheTrainingOverFromANewInitialNetwork() {
        PipelineConfig c = config("over", "three", "train.epochs=2");
        ingest(c);
        TrainResult first = train(c);
        assertEquals(2, first.epochs().size());
        new EvaluateJob(quiet()).run(spark, c, "final");

        TrainResult again = train(config("over", "three", "train.epochs=1", "output.overwrite=true"));
        assertFalse(again.resumed(), "--overwrite does not resume");
        assertEquals(1, again.epochs().size());
        assertEquals(first.epochs().get(0).trainLoss(), again.epochs().get(0).trainLoss(), 1e-6,
                "epoch 1 again from the same seed's initial network");
        try (Stream<Path> dirs = Files.list(runDir("over").resolve("checkpoints"))) {
            assertEquals(List.of("epoch-0001"), dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString())
                    .sorted().toList(), "the old checkpoints went");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertFalse(Files.exists(runDir("over").resolve("evaluation.json")), "the old network's evaluation went");
        assertEquals(1L, spark.read().parquet(Storage.join(layout("over").metrics(), "epochs")).count(),
                "the epochs table holds the new training only");
    }

    @Test
    void aTamperedPointerIsRefusedNamingIt() throws IOException {
        PipelineConfig c = oneOfTwoEpochsTrained("tampered");
        Path latest = runDir("tampered").resolve("checkpoints/latest");
        Files.writeString(latest, "../../../some-other-run/checkpoints/epoch-0001\n");   // by hand, as an operator would
        BadInputException e = refused(() -> train(c));
        assertTrue(e.getMessage().contains("checkpoints/latest") && e.getMessage().contains("not a checkpoint name"),
                e.getMessage());
        assertTrue(refused(() -> new EvaluateJob(quiet()).run(spark, c, "latest")).getMessage().contains("checkpoints/latest"));
        assertTrue(refused(() -> new EvaluateJob(quiet()).run(spark, c, "../x")).getMessage().contains("../x"));
    }

    @Test
    void aTruncatedCheckpointModelIsRefusedBeforeItIsDeserialised() throws IOException {
        PipelineConfig c = oneOfTwoEpochsTrained("truncated");
        Path zip = runDir("truncated").resolve("checkpoints/epoch-0001/model.zip");
        try (RandomAccessFile f = new RandomAccessFile(zip.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        BadInputException e = refused(() -> train(c));
        assertTrue(e.getMessage().contains("epoch-0001/model.zip") && e.getMessage().contains("is corrupt"), e.getMessage());
        assertTrue(refused(() -> new EvaluateJob(quiet()).run(spark, c, "epoch-0001")).getMessage().contains("is corrupt"));
    }

    @Test
    void aCorruptedShardByteStopsTrainingAndEvaluationNamingTheShardAndTheRun() throws IOException {
        PipelineConfig c = config("corrupt", "three", "train.epochs=2");
        IngestResult r = ingest(c);
        Path generation = RunFolders.onlyGeneration(runDir("corrupt"));
        ShardInfo shard = r.manifest().shardsOf("train").get(0);
        Path file = generation.resolve(shard.path());
        byte[] bytes = Files.readAllBytes(file);
        int at = bytes.length / 2;   // inside the pixels: one lowest bit, which decodes fine; only the digest can tell
        bytes[at] ^= 0x01;
        Files.write(file, bytes);

        BadInputException e = refused(() -> train(c));
        assertTrue(e.getMessage().contains(shard.path()) && e.getMessage().contains("of run ")
                && e.getMessage().contains("/wh/corrupt") && e.getMessage().contains("is corrupt"), e.getMessage());
        assertFalse(Files.exists(runDir("corrupt").resolve("checkpoints/latest")), "no epoch was trained on it");

        bytes[at] ^= 0x01;
        Files.write(file, bytes);
        train(config("corrupt", "three", "train.epochs=1"));
        ShardInfo test = r.manifest().shardsOf("test").get(0);
        Path testFile = generation.resolve(test.path());
        byte[] t = Files.readAllBytes(testFile);
        Files.write(testFile, Arrays.copyOf(t, t.length - 100));
        BadInputException eval = refused(() -> new EvaluateJob(quiet()).run(spark, c, "final"));
        assertTrue(eval.getMessage().contains(test.path()), eval.getMessage());
    }

    @Test
    void aResumeKeepsTheWorkerCountTheRunResolvedFromItsFirstCluster() throws IOException {
        PipelineConfig c = oneOfTwoEpochsTrained("workers", "train.workers=0");
        Path state = runDir("workers").resolve("checkpoints/epoch-0001/state.json");
        String json = Files.readString(state);
        assertTrue(json.contains("\"workers\" : 2"), "train.workers = 0 resolved to local[2]'s 2 and recorded: " + json);
        // The run started on a cluster of 3 (as if the cluster shrank since): a resume keeps 3, whatever it finds now.
        TrainerState recorded = org.sparkcnn.pipeline.shards.ManifestStore.JSON.readValue(json, TrainerState.class);
        TrainerState three = new TrainerState(recorded.runId(), recorded.epoch(), recorded.history(), recorded.rounds(),
                recorded.bestEpoch(), recorded.bestMetric(), recorded.epochsWithoutImprovement(), recorded.stoppedEarly(),
                recorded.elapsedSeconds(), recorded.configHash(), recorded.started(), recorded.roundsDone(),
                recorded.ingestHash(), recorded.classes(), 3, recorded.modelSha256(), recorded.modelBytes());
        Files.write(state, org.sparkcnn.pipeline.shards.ManifestStore.JSON.writeValueAsBytes(three));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        TrainResult resumed = new TrainJob(new PrintStream(console)).run(spark, c);
        assertTrue(resumed.resumed());
        assertTrue(console.toString().contains("resuming with the run's 3 workers"), console.toString());
        assertTrue(console.toString().contains("3 workers x batch 8"), console.toString());
        assertTrue(Files.readString(runDir("workers").resolve("checkpoints/epoch-0002/state.json")).contains("\"workers\" : 3"));
    }

    @Test
    void checkpointFoldersNoPointerNamesAreRemovedAndTrainingStartsAfresh() throws IOException {
        // A driver killed while writing its first checkpoint: the folder exists, checkpoints/latest does not.
        PipelineConfig c = config("unpublished", "three");
        ingest(c);
        Path half = runDir("unpublished").resolve("checkpoints/epoch-0001");
        Files.createDirectories(half);
        Files.write(half.resolve("model.zip"), new byte[]{'P', 'K', 3, 4});
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        TrainResult r = new TrainJob(new PrintStream(console)).run(spark, c);
        assertFalse(r.resumed());
        assertTrue(console.toString().contains("removed 1 unpublished checkpoint folder"), console.toString());
        assertTrue(Files.size(half.resolve("model.zip")) > 1000, "epoch 1 written anew");
    }

    @Test
    void earlyStoppingOnAValidationMetricOfAnIngestWithoutValidationExamplesIsRefused() {
        ingest(config("no-validation", "three", "split.validation-fraction=0"));
        BadInputException e = refused(() -> train(config("no-validation", "three", "early-stopping.enabled=true",
                "early-stopping.monitor=val_accuracy")));
        assertTrue(e.getMessage().contains("early-stopping.monitor = val_accuracy")
                && e.getMessage().contains("no validation examples"), e.getMessage());
        assertFalse(Files.exists(runDir("no-validation").resolve("checkpoints/latest")), "nothing trained");
    }

    @Test
    void trainPrintsALinePerEpochAndRoundsOnlyWhenVerbose() {
        PipelineConfig c = config("console", "three", "train.epochs=2");
        ingest(c);
        ByteArrayOutputStream quiet = new ByteArrayOutputStream();
        new TrainJob(new PrintStream(quiet)).run(spark, config("console", "three", "train.epochs=1"));
        ByteArrayOutputStream verbose = new ByteArrayOutputStream();
        new TrainJob(new PrintStream(verbose)).run(spark, config("console", "three", "train.epochs=2",
                "output.verbose=true"));
        assertTrue(quiet.toString().lines().noneMatch(l -> l.contains(" round ")), quiet.toString());
        assertEquals(1, quiet.toString().lines().filter(l -> l.startsWith("epoch 1/1 ")).count(), quiet.toString());
        assertTrue(verbose.toString().lines().anyMatch(l -> l.startsWith("  epoch 2 round 1/")), verbose.toString());
    }

    @Test
    void anImageFileTooLargeToReadIsQuarantinedNotAFailure() throws IOException {
        SyntheticCorpus.write(storage, tmp.resolve("huge").toUri().toString(), 3, 24, 32, 9);
        Path huge = tmp.resolve("huge/images/circle/huge.jpg");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30);   // sparse: 3 GiB listed, nothing on disk
        }
        Files.writeString(tmp.resolve("huge/meta/train.txt"), "circle/huge\n", java.nio.file.StandardOpenOption.APPEND);
        IngestResult r = ingest(config("huge", "huge"));
        assertEquals(1, r.manifest().quarantined());
        assertEquals(r.manifest().listed(), r.manifest().written() + r.manifest().quarantined());
        var row = spark.read().parquet(r.manifest().quarantineUri(layout("huge").root())).first();
        assertEquals("TOO_LARGE", row.getAs("reason"));
        assertTrue(((String) row.getAs("path")).endsWith("huge.jpg"));
        assertNotNull(row.getAs("message"));
        assertNotEquals(0L, (long) row.getAs("size_bytes"));
    }
}
