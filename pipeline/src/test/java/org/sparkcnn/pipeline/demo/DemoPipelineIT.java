package org.sparkcnn.pipeline.demo;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.testing.LocalSpark;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's demo, in-process on local[2]: the accuracy bar, the files a run leaves, and idempotent re-runs. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoPipelineIT {
    @TempDir
    static Path warehouse;
    static SparkSession spark;
    static PipelineConfig config;
    static DemoResult first;

    @BeforeAll
    static void runDemo() {
        spark = LocalSpark.start("DemoPipelineIT");
        config = ConfigLoader.load(new File("../conf/demo.conf"), List.of(
                "output.uri=" + warehouse.toUri(), "run.id=it-demo",
                "corpus.uri=" + warehouse.resolve("corpus").toUri(), "corpus.layout=food101"));
        first = new EndToEndJob(System.out).demo(spark, config);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    @Order(1)
    void demoLearnsTheShapesFarAboveChance() {
        assertTrue(first.evaluation().accuracy() >= 0.90, "test accuracy " + first.evaluation().accuracy());
        assertEquals(first.ingest().manifest().splits().get("test").written(), first.evaluation().examples());
        assertEquals(config.train().epochs(), first.train().epochs().size());
    }

    @Test
    @Order(2)
    void runFolderHoldsEveryOutput() throws Exception {
        Path run = warehouse.resolve("it-demo");
        Path generation = org.sparkcnn.pipeline.testing.RunFolders.onlyGeneration(run);
        for (String f : List.of("manifest.json", run.relativize(generation) + "/shards/train/part-00000.bin",
                run.relativize(generation) + "/shards/validation/part-00000.bin",
                run.relativize(generation) + "/shards/test/part-00000.bin", "checkpoints/latest",
                "checkpoints/best", "checkpoints/epoch-0015/model.zip", "checkpoints/epoch-0015/state.json",
                "metrics/epochs.csv", "metrics/history.json", "metrics/model-summary.txt", "evaluation.json", "report.html")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertFalse(Files.exists(run.resolve("_staging-ingest")), "staging is cleaned up after commit");
        try (var entries = Files.list(run)) {
            assertEquals(List.of("checkpoints", "evaluation.json", "ingest", "manifest.json", "metrics",
                    "preprocessing.json", "report.html"), entries.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .sorted().toList(), "nothing else in the run folder");
        }

        JsonNode manifest = ManifestStore.JSON.readTree(run.resolve("manifest.json").toFile());
        assertEquals(manifest.get("listed").asLong(),
                manifest.get("written").asLong() + manifest.get("quarantined").asLong());
        assertEquals(1000, manifest.get("listed").asLong());
        assertEquals(42, manifest.get("seed").asLong());
        assertEquals(64, manifest.get("configHash").asText().length());

        JsonNode evaluation = ManifestStore.JSON.readTree(run.resolve("evaluation.json").toFile());
        assertEquals(first.evaluation().accuracy(), evaluation.get("accuracy").asDouble(), 1e-12);

        Dataset<Row> epochs = spark.read().parquet(run.resolve("metrics/epochs").toUri().toString());
        assertEquals(15, epochs.count());
        assertEquals(15, epochs.select("epoch").distinct().count());
        assertEquals(0, spark.read().parquet(generation.resolve("quarantine").toUri().toString()).count());

        JsonNode history = ManifestStore.JSON.readTree(run.resolve("metrics/history.json").toFile());
        assertEquals(15, history.get("val_accuracy").size());
    }

    @Test
    @Order(3)
    void rerunningTheSameRunIsANoOpThatKeepsTheResult() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        DemoResult again = new EndToEndJob(new PrintStream(log, true)).run(spark, config);
        assertTrue(again.ingest().reused(), "ingest reused");
        assertTrue(again.train().resumed(), "train found its checkpoints");
        assertEquals(first.evaluation().accuracy(), again.evaluation().accuracy(), 1e-12);
        assertTrue(log.toString().contains("nothing to do"), log.toString());
    }

    @Test
    @Order(4)
    void resumingWithOtherTrainingSettingsIsRefused() {
        PipelineConfig other = ConfigLoader.load(new File("../conf/demo.conf"), List.of(
                "output.uri=" + warehouse.toUri(), "run.id=it-demo",
                "corpus.uri=" + warehouse.resolve("corpus").toUri(), "corpus.layout=food101",
                "train.learning-rate=0.5"));
        org.sparkcnn.pipeline.error.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.sparkcnn.pipeline.error.BadInputException.class,
                () -> new org.sparkcnn.pipeline.train.TrainJob(new PrintStream(new ByteArrayOutputStream())).run(spark, other));
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
    }

    @Test
    @Order(5)
    void evaluationTablesAreKeyedByCheckpointAndReplacedOnReEvaluation() {
        org.sparkcnn.pipeline.evaluate.EvaluateJob evaluate =
                new org.sparkcnn.pipeline.evaluate.EvaluateJob(new PrintStream(new ByteArrayOutputStream()));
        evaluate.run(spark, config, "final");
        evaluate.run(spark, config, "epoch-0014");
        evaluate.run(spark, config, "epoch-0014");
        String metrics = warehouse.resolve("it-demo/metrics").toUri().toString();
        Dataset<Row> evaluation = spark.read().parquet(metrics + "evaluation");
        assertEquals(2, evaluation.count(), "one row per checkpoint, re-evaluation replaces");
        assertEquals(List.of("epoch-0014", "epoch-0015"), evaluation.select("checkpoint").distinct().orderBy("checkpoint")
                .collectAsList().stream().map(r -> r.getString(0)).toList());
        assertEquals(first.evaluation().accuracy(),
                evaluation.where("checkpoint = 'epoch-0015'").first().<Double>getAs("accuracy"), 1e-12);
        assertEquals(2 * 4, spark.read().parquet(metrics + "per_class").count());
        Dataset<Row> confusion = spark.read().parquet(metrics + "confusion").where("checkpoint = 'epoch-0015'");
        assertEquals(16, confusion.count());
        assertEquals(first.evaluation().examples(), confusion.groupBy().sum("count").first().getLong(0));
        assertTrue(Files.isRegularFile(warehouse.resolve("it-demo/metrics/per_class.csv")));

        // A checkpoint given by path evaluates exactly as the same checkpoint given by name.
        String byPath = warehouse.resolve("it-demo/checkpoints/epoch-0014").toString();
        org.sparkcnn.pipeline.evaluate.EvaluationResult viaPath = evaluate.run(spark, config, byPath);
        assertEquals(evaluation.where("checkpoint = 'epoch-0014'").first().<Double>getAs("accuracy"), viaPath.accuracy(), 1e-12);
        assertTrue(viaPath.checkpoint().endsWith("/it-demo/checkpoints/epoch-0014"), viaPath.checkpoint());
    }

    @Test
    @Order(6)
    void predictClassifiesFilesFoldersAndGlobsAndReportsUnreadableInputsPerFile() throws Exception {
        Path images = warehouse.resolve("corpus/images");
        Path inputs = warehouse.resolve("predict-inputs");
        for (String shape : List.of("circle", "square")) {
            Files.createDirectories(inputs.resolve(shape));
            try (var files = Files.list(images.resolve(shape))) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".jpg")).sorted().limit(3).toList()) {
                    Files.copy(f, inputs.resolve(shape).resolve(f.getFileName()));
                }
            }
        }
        Files.write(inputs.resolve("broken.jpg"), new byte[]{(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        org.sparkcnn.pipeline.predict.PredictResult result = new org.sparkcnn.pipeline.predict.PredictJob(
                new PrintStream(log, true)).run(spark, config, "final", "", "", List.of(
                inputs.resolve("circle").toString(), inputs + "/square/*.jpg", inputs.resolve("broken.jpg").toString(),
                inputs.resolve("missing.jpg").toString()));

        assertEquals(8, result.inputs(), log.toString());
        assertEquals(2, result.unreadable(), log.toString());
        Dataset<Row> table = spark.read().parquet(result.table());
        assertEquals(8, table.count());
        assertEquals(6, table.where("error IS NULL").count());
        assertTrue(table.where("path LIKE '%missing.jpg'").first().<String>getAs("error").startsWith("NOT_FOUND"));
        assertTrue(table.where("path LIKE '%broken.jpg'").first().<String>getAs("predicted_class") == null);
        long right = table.where("error IS NULL").collectAsList().stream()
                .filter(r -> r.<String>getAs("path").contains("/" + r.<String>getAs("predicted_class") + "/")).count();
        assertTrue(right >= 5, right + " of 6 corpus images classified as their folder's class");
        List<String> csv = Files.readAllLines(Path.of(java.net.URI.create(result.csv())));
        assertEquals(9, csv.size(), "header and one row per input");
        assertTrue(log.toString().contains("% confidence"), log.toString());

        // A saved model's path instead of a run id; one image; output elsewhere.
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        Path one;
        try (var files = Files.list(inputs.resolve("square"))) {
            one = files.filter(f -> f.getFileName().toString().endsWith(".jpg")).sorted().findFirst().orElseThrow();
        }
        org.sparkcnn.pipeline.predict.PredictResult byPath = new org.sparkcnn.pipeline.predict.PredictJob(
                new PrintStream(single, true)).run(spark, config, "final",
                warehouse.resolve("it-demo/checkpoints/best").toString(), warehouse.resolve("elsewhere").toString(),
                List.of(one.toString()));
        assertEquals(1, byPath.inputs());
        assertTrue(single.toString().matches("(?s).*square with \\d+\\.\\d\\d% confidence.*\\n    1\\. square .*"), single.toString());
        assertTrue(Files.isRegularFile(warehouse.resolve("elsewhere/predictions.csv")));
    }

    @Test
    @Order(7)
    void predictClassifiesHeldOutImagesOnTheExecutorsAndReportsUnreadableOnes() throws Exception {
        Path corpus = warehouse.resolve("corpus");
        List<String> heldOut = Files.readAllLines(corpus.resolve("meta/test.txt")).stream()
                .filter(l -> !l.isBlank()).map(l -> corpus.resolve("images/" + l + ".jpg").toUri().toString())
                .toList();
        Path notAnImage = warehouse.resolve("not-an-image.jpg");
        Files.writeString(notAnImage, "plain text");
        List<String> inputs = new java.util.ArrayList<>(heldOut);
        inputs.add(notAnImage.toUri().toString());

        org.sparkcnn.pipeline.predict.PredictResult result = new org.sparkcnn.pipeline.predict.PredictJob(
                new PrintStream(new ByteArrayOutputStream())).run(spark, config, "final", "", "", inputs);

        assertEquals(inputs.size(), result.inputs());
        assertEquals(1, result.unreadable());
        List<Row> rows = spark.read().parquet(result.table()).collectAsList();
        assertEquals(inputs.size(), rows.size());
        long correct = 0;
        for (Row r : rows) {
            String path = r.getAs("path");
            if (path.endsWith("not-an-image.jpg")) {
                assertTrue(r.getAs("error") != null, "a text file is not an image");
                continue;
            }
            assertTrue(r.getAs("error") == null, path + ": " + r.getAs("error"));
            List<String> top = r.getList(r.fieldIndex("top_classes"));
            List<Double> probabilities = r.getList(r.fieldIndex("top_probabilities"));
            assertEquals(3, top.size());
            for (int i = 1; i < 3; i++) {
                assertTrue(probabilities.get(i - 1) >= probabilities.get(i), "best first: " + r);
            }
            String actual = Path.of(java.net.URI.create(path)).getParent().getFileName().toString();
            correct += top.get(0).equals(actual) ? 1 : 0;
        }
        assertTrue(correct >= 0.8 * heldOut.size(), correct + " of " + heldOut.size() + " held-out images right");
        List<String> csv = Files.readAllLines(warehouse.resolve("it-demo/predictions/predictions.csv"));
        assertEquals(1 + inputs.size(), csv.size(), "header and one row per input");
    }
}
