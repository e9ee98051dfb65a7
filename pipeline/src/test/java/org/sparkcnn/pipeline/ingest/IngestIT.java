package org.sparkcnn.pipeline.ingest;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardReader;
import org.sparkcnn.pipeline.shards.ShardSource;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;
import org.sparkcnn.pipeline.testing.LocalSpark;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ingest on local[2] over a corpus with every kind of bad input: quarantine, reconciliation, shard
 * contents, determinism, idempotent re-runs and refusal without overwrite.
 */
class IngestIT {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static Path corpus;
    static final int[] COLOURS = {0xFF0000, 0x00FF00, 0x0000FF};
    static final String[] CLASSES = {"red", "green", "blue"};
    static final int GOOD_PER_CLASS = 12;

    @BeforeAll
    static void setUp() throws IOException {
        spark = LocalSpark.start("IngestIT");
        corpus = tmp.resolve("corpus");
        StringBuilder train = new StringBuilder();
        StringBuilder test = new StringBuilder();
        for (int c = 0; c < CLASSES.length; c++) {
            for (int i = 0; i < GOOD_PER_CLASS; i++) {
                write("images/" + CLASSES[c] + "/" + i + ".png", solid(COLOURS[c], 20 + i, 16, "png"));
                (i < 9 ? train : test).append(CLASSES[c]).append('/').append(i).append('\n');
            }
        }
        byte[] jpeg = solid(0x808080, 64, 64, "jpg");
        write("images/red/zero.jpg", new byte[0]);
        write("images/red/truncated.jpg", Arrays.copyOf(jpeg, jpeg.length / 3));
        write("images/green/text.jpg", "just some text".getBytes());
        write("images/blue/tiny.png", solid(0x0000FF, 1, 1, "png"));
        train.append("red/zero\nred/truncated\ngreen/text\nblue/tiny\nblue/missing\n");
        write("meta/classes.txt", String.join("\n", CLASSES).getBytes());
        write("meta/train.txt", train.toString().getBytes());
        write("meta/test.txt", test.toString().getBytes());
    }

    @AfterAll
    static void tearDown() {
        spark.stop();
    }

    static void write(String rel, byte[] bytes) throws IOException {
        Path p = corpus.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
    }

    static byte[] solid(int rgb, int w, int h, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    static PipelineConfig config(String runId, String... extra) {
        List<String> overrides = new ArrayList<>(List.of("output.uri=" + tmp.resolve("warehouse").toUri(),
                "run.id=" + runId, "corpus.uri=" + corpus.toUri(), "image.height=8", "image.width=8",
                "ingest.examples-per-shard=5", "ingest.max-bad-fraction=0.2", "split.validation-fraction=0.25"));
        overrides.addAll(List.of(extra));
        return ConfigLoader.load(null, overrides);
    }

    static IngestResult ingest(PipelineConfig config) {
        return new IngestJob(new PrintStream(new ByteArrayOutputStream())).run(spark, config);
    }

    @Test
    void badInputsAreQuarantinedAndCountsReconcile() {
        IngestResult r = ingest(config("bad-inputs"));
        var m = r.manifest();
        assertEquals(CLASSES.length * GOOD_PER_CLASS, m.written());
        assertEquals(5, m.quarantined());
        assertEquals(m.listed(), m.written() + m.quarantined());
        m.splits().forEach((split, counts) ->
                assertEquals(counts.listed(), counts.written() + counts.quarantined(), split));
        assertEquals(9, m.splits().get("test").written());
        assertEquals(m.written(), m.shards().stream().mapToLong(ShardInfo::examples).sum());

        Map<String, String> reasons = spark.read().parquet(m.quarantineUri(r.runRoot())).collectAsList().stream()
                .collect(Collectors.toMap(row -> row.getString(0).substring(row.getString(0).lastIndexOf('/') + 1),
                        row -> row.getString(1)));
        assertEquals(Map.of("zero.jpg", "EMPTY_FILE", "truncated.jpg", "CORRUPT", "text.jpg", "NOT_AN_IMAGE",
                "tiny.png", "TOO_FEW_PIXELS", "missing", "MISSING"), reasons);
        Row zero = spark.read().parquet(m.quarantineUri(r.runRoot())).where("reason = 'EMPTY_FILE'").first();
        assertEquals(0L, zero.getLong(3));
    }

    @Test
    void shardsHoldTheDecodedPixelsOfTheirLabel() {
        IngestResult r = ingest(config("pixels"));
        Storage storage = Storage.of(new Configuration());
        int seen = 0;
        for (ShardInfo shard : r.manifest().shards()) {
            DataSet ds = ShardSource.of(storage, new RunLayout(r.runRoot()), r.manifest()).read(shard.path());
            assertEquals(shard.examples(), ds.numExamples());
            for (int i = 0; i < ds.numExamples(); i++) {
                int label = ds.getLabels().getRow(i).argMax().getInt(0);
                int rgb = COLOURS[label];
                assertEquals((rgb >> 16) & 0xff, ds.getFeatures().getInt(i, 0, 3, 3), "R of example " + i);
                assertEquals((rgb >> 8) & 0xff, ds.getFeatures().getInt(i, 1, 3, 3), "G of example " + i);
                assertEquals(rgb & 0xff, ds.getFeatures().getInt(i, 2, 7, 0), "B of example " + i);
                seen++;
            }
        }
        assertEquals(CLASSES.length * GOOD_PER_CLASS, seen);
    }

    @Test
    void sameCorpusConfigAndSeedGiveIdenticalShards() {
        List<String> a = ingest(config("det-a")).manifest().shards().stream().map(s -> s.path() + s.sha256()).toList();
        List<String> b = ingest(config("det-b", "spark.default.parallelism=1")).manifest().shards().stream()
                .map(s -> s.path() + s.sha256()).toList();
        assertEquals(a, b);
        assertTrue(a.size() > 3, "several shards: " + a.size());
    }

    @Test
    void rerunIsANoOpAndAnotherConfigIsRefusedWithoutOverwrite() {
        IngestResult first = ingest(config("rerun"));
        assertFalse(first.reused());
        IngestResult again = ingest(config("rerun"));
        assertTrue(again.reused());
        assertEquals(first.manifest().createdAt(), again.manifest().createdAt());

        BadInputException refused = assertThrows(BadInputException.class, () -> ingest(config("rerun", "image.height=9")));
        assertTrue(refused.getMessage().contains("--overwrite"), refused.getMessage());

        IngestResult replaced = ingest(config("rerun", "image.height=9", "output.overwrite=true"));
        assertFalse(replaced.reused());
        assertEquals(9, replaced.manifest().height());
    }

    @Test
    void tooManyBadInputsFailNamingTheTopReasonsAndPublishNothing() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ingest(config("strict", "ingest.max-bad-fraction=0.01")));
        assertTrue(e.getMessage().contains("ingest.max-bad-fraction") && e.getMessage().contains("EMPTY_FILE"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("warehouse/strict/manifest.json")));
        Path generation = org.sparkcnn.pipeline.testing.RunFolders.onlyGeneration(tmp.resolve("warehouse/strict"));
        assertFalse(Files.exists(generation.resolve("shards")), "no shards are kept");
        assertTrue(Files.isDirectory(generation.resolve("quarantine")), "quarantine kept for diagnosis");
        assertTrue(e.getMessage().contains(generation.getFileName() + "/quarantine"), "the message says where: " + e.getMessage());
    }
}
