package org.sparkcnn.pipeline.train;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkcnn.pipeline.checkpoint.CheckpointStore;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.demo.SyntheticCorpus;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.evaluate.EvaluateJob;
import org.sparkcnn.pipeline.evaluate.EvaluationResult;
import org.sparkcnn.pipeline.ingest.IngestJob;
import org.sparkcnn.pipeline.model.FrozenLayers;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;
import org.sparkcnn.pipeline.testing.LocalSpark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tutorials' transfer-learning step on local[2]: a base LeNet trained on circles and squares, then its
 * convolutional features frozen and fine-tuned (three averaging workers) on another task, squares, triangles and
 * crosses. The new task is learnt, the frozen parameters end bit-identical to the base run's, the others moved,
 * and a resumed fine-tune continues from its own checkpoint without the base.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransferLearningIT {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Storage storage;
    static TrainResult tuned;
    static String tuneLog;

    @BeforeAll
    static void corpora() throws IOException {
        spark = LocalSpark.start("TransferLearningIT");
        storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        Path all = tmp.resolve("all");
        SyntheticCorpus.write(storage, all.toUri().toString(), 4, 100, 32, 21);
        subset(all, tmp.resolve("base-corpus"), List.of("circle", "square"));
        subset(all, tmp.resolve("new-corpus"), List.of("square", "triangle", "cross"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A Food-101 layout corpus holding only {@code classes} of {@code from}. */
    static void subset(Path from, Path to, List<String> classes) throws IOException {
        for (String c : classes) {
            Path dir = Files.createDirectories(to.resolve("images").resolve(c));
            try (Stream<Path> files = Files.list(from.resolve("images").resolve(c))) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        Files.createDirectories(to.resolve("meta"));
        Files.writeString(to.resolve("meta/classes.txt"), String.join("\n", classes) + "\n");
        for (String list : List.of("train.txt", "test.txt")) {
            List<String> kept = Files.readAllLines(from.resolve("meta").resolve(list)).stream()
                    .filter(l -> classes.contains(l.substring(0, l.indexOf('/')))).toList();
            Files.writeString(to.resolve("meta").resolve(list), String.join("\n", kept) + "\n");
        }
    }

    static PipelineConfig config(String runId, String corpus, String... extra) {
        List<String> o = new ArrayList<>(List.of("output.uri=" + tmp.resolve("wh").toUri(), "run.id=" + runId,
                "corpus.uri=" + tmp.resolve(corpus).toUri(), "corpus.layout=food101", "image.height=32",
                "image.width=32", "split.validation-fraction=0.15", "model.architecture=lenet",
                "train.batch-size-per-worker=8", "train.averaging-frequency=4", "train.learning-rate=0.002",
                "checkpoint.keep-last=1"));
        o.addAll(List.of(extra));
        PipelineConfig c = ConfigLoader.load(null, o);
        new IngestJob(new PrintStream(new ByteArrayOutputStream())).run(spark, c);
        return c;
    }

    static String baseCheckpoint() {
        return RunLayout.of(tmp.resolve("wh").toUri().toString(), "base").checkpoints() + "/final";
    }

    static Network finalModel(String runId) {
        CheckpointStore store = new CheckpointStore(storage, RunLayout.of(tmp.resolve("wh").toUri().toString(), runId));
        return store.loadModel(store.select("final"));
    }

    /** The exact bit patterns of an array's values. */
    static int[] bits(INDArray a) {
        float[] f = a.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Float.floatToRawIntBits(f[i]);
        }
        return out;
    }

    @Test
    @Order(1)
    void fineTunedNetworkLearnsTheNewTask() {
        PipelineConfig base = config("base", "base-corpus", "train.epochs=5", "train.workers=2");
        TrainResult baseResult = new TrainJob(new PrintStream(new ByteArrayOutputStream())).run(spark, base);
        assertEquals(5, baseResult.epochs().size());

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PipelineConfig tune = config("tuned", "new-corpus", "train.epochs=8", "train.workers=3",
                "model.init=" + baseCheckpoint(), "model.freeze-up-to=layer1", "model.fine-tune.learning-rate=0.003");
        tuned = new TrainJob(new PrintStream(log, true)).run(spark, tune);
        tuneLog = log.toString();
        System.out.print(tuneLog);
        assertTrue(tuneLog.contains("fine-tuning MultiLayerNetwork from"), tuneLog);
        assertTrue(tuneLog.contains("lr 3.00e-03"), "the fine-tune rate drives the schedule: " + tuneLog);
        EvaluationResult eval = new EvaluateJob(new PrintStream(new ByteArrayOutputStream())).run(spark, tune, "final");
        assertEquals(List.of("square", "triangle", "cross"), eval.classes());
        System.out.println("fine-tuned test accuracy " + eval.accuracy());
        assertTrue(eval.accuracy() >= 0.6, "3 classes, chance 0.33; test accuracy " + eval.accuracy());
    }

    @Test
    @Order(2)
    void frozenParametersAreExactlyTheBaseRunsAndTheOthersMoved() {
        Network base = finalModel("base");
        Network tunedNet = finalModel("tuned");
        List<FrozenLayers.Row> rows = FrozenLayers.rows(tunedNet);
        assertEquals(List.of(true, true, false, false, false, false, false), rows.stream().map(FrozenLayers.Row::frozen).toList());
        for (int i : new int[]{0}) {
            INDArray b = base.multiLayer().getLayer(i).params();
            INDArray t = tunedNet.multiLayer().getLayer(i).params();
            assertEquals(b.length(), t.length());
            // Exact: INDArray.equals would allow differences up to 1e-5.
            assertArrayEquals(bits(b), bits(t), "frozen convolution " + i + " bit-identical after 8 epochs on 3 workers");
        }
        for (int i : new int[]{2, 4, 5}) {
            assertNotEquals(base.multiLayer().getLayer(i).params(), tunedNet.multiLayer().getLayer(i).params(),
                    "trainable layer " + i + " moved");
        }
        String summary = storage.readString(Storage.join(RunLayout.of(tmp.resolve("wh").toUri().toString(), "tuned")
                .metrics(), "model-summary.txt"));
        assertTrue(summary.contains(" frozen, "), summary);
        assertEquals(2, summary.lines().filter(l -> l.matches("\\s*\\d+\\s.*\\sfrozen")).count(), summary);
    }

    @Test
    @Order(3)
    void aResumedFineTuneContinuesFromItsOwnCheckpointWithoutTheBase() throws IOException {
        Path baseCheckpoints = tmp.resolve("wh/base/checkpoints");
        Files.move(baseCheckpoints, tmp.resolve("wh/base/checkpoints-moved"));
        try {
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            PipelineConfig more = config("tuned", "new-corpus", "train.epochs=9", "train.workers=3",
                    "model.init=" + baseCheckpoint(), "model.freeze-up-to=layer1", "model.fine-tune.learning-rate=0.003");
            TrainResult resumed = new TrainJob(new PrintStream(log, true)).run(spark, more);
            assertTrue(resumed.resumed());
            assertEquals(9, resumed.epochs().size());
            assertFalse(log.toString().contains("fine-tuning"), log.toString());
            assertTrue(log.toString().contains("resuming run tuned"), log.toString());
        } finally {
            Files.move(tmp.resolve("wh/base/checkpoints-moved"), baseCheckpoints);
        }
        Network base = finalModel("base");
        Network tunedNet = finalModel("tuned");
        assertArrayEquals(bits(base.multiLayer().getLayer(0).params()), bits(tunedNet.multiLayer().getLayer(0).params()),
                "still frozen after resuming");
    }

    @Test
    @Order(4)
    void aBaseOfAnotherInputShapeIsRefusedBeforeTraining() {
        PipelineConfig small = config("small", "new-corpus", "image.height=24", "image.width=24", "train.epochs=1",
                "model.init=" + baseCheckpoint());
        BadInputException e = assertThrows(BadInputException.class,
                () -> new TrainJob(new PrintStream(new ByteArrayOutputStream())).run(spark, small));
        assertTrue(e.getMessage().contains("3x24x24"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("wh/small/checkpoints")), "nothing trained");
    }
}
