package org.sparkcnn.pipeline.input;

import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.report.AugmentPreview;
import org.sparkcnn.pipeline.augment.DataSetAugmenter;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.demo.SyntheticCorpus;
import org.sparkcnn.pipeline.ingest.IngestJob;
import org.sparkcnn.pipeline.ingest.IngestResult;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.ShardReader;
import org.sparkcnn.pipeline.shards.ShardSource;
import org.sparkcnn.pipeline.spark.SparkSessionFactory;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The augmented training input path on Spark (local[2] with up to 3 attempts per task): the stream one epoch
 * feeds to training is bit-identical across partitionings and task retries, changes between epochs, and never
 * touches validation data; materialised copies reconcile.
 */
class AugmentedInputIT {
    static final List<String> TUTORIAL = List.of("augment.shear-range=0.2", "augment.zoom-range=0.2",
            "augment.horizontal-flip=true", "augment.width-shift-range=0.1", "augment.height-shift-range=0.1",
            "augment.rotation-range=15");
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static JavaSparkContext sc;
    static Storage storage;
    static PipelineConfig config;
    static ShardManifest manifest;
    static TrainingData data;

    @BeforeAll
    static void ingest() {
        PipelineConfig base = ConfigLoader.load(null, List.of());
        SparkConf conf = SparkSessionFactory.sparkConf(base, "AugmentedInputIT").setMaster("local[2,3]");
        spark = SparkSession.builder().config(conf).getOrCreate();
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        String corpus = tmp.resolve("corpus").toUri().toString();
        SyntheticCorpus.write(storage, corpus, 3, 20, 32, 3);
        config = config("aug", List.of());
        IngestResult result = new IngestJob(new PrintStream(new ByteArrayOutputStream())).run(spark, config);
        manifest = result.manifest();
        data = new TrainingData(storage, RunLayout.of(config.output().uri(), "aug"), manifest,
                new DataSetAugmenter(config.augment()));
    }

    static PipelineConfig config(String runId, List<String> extra) {
        List<String> overrides = new ArrayList<>(List.of("output.uri=" + tmp.resolve("wh").toUri(), "run.id=" + runId,
                "corpus.uri=" + tmp.resolve("corpus").toUri(), "image.height=16", "image.width=16",
                "ingest.examples-per-shard=7", "split.validation-fraction=0.25"));
        overrides.addAll(TUTORIAL);
        overrides.addAll(extra);
        return ConfigLoader.load(null, overrides);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static List<float[]> stream(List<DataSet> batches) {
        List<float[]> out = new ArrayList<>();
        for (DataSet b : batches) {
            out.add(b.getFeatures().castTo(DataType.FLOAT).data().asFloat());
            out.add(b.getLabels().castTo(DataType.FLOAT).data().asFloat());
        }
        return out;
    }

    private static void assertSameStream(List<float[]> a, List<float[]> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "array " + i);
        }
    }

    @Test
    void epochStreamIsBitIdenticalAcrossPartitionings() {
        assertTrue(manifest.shardsOf("train").size() >= 3, "several training shards");
        List<float[]> one = stream(data.trainingEpoch(sc, 5, 42, 1, 1).collect());
        List<float[]> three = stream(data.trainingEpoch(sc, 5, 42, 1, 3).collect());
        List<float[]> perShard = stream(data.trainingEpoch(sc, 5, 42, 1).collect());
        assertSameStream(one, three);
        assertSameStream(one, perShard);
        long examples = data.trainingEpoch(sc, 5, 42, 1, 3).map(DataSet::numExamples).reduce(Integer::sum);
        assertEquals(data.examples("train"), examples, "every training example exactly once per epoch");
    }

    @Test
    void epochStreamIsBitIdenticalAcrossATaskRetry() {
        List<String> paths = manifest.shardsOf("train").stream().map(ShardInfo::path).toList();
        TrainingData d = data;
        List<float[]> clean = stream(sc.parallelize(paths, 2).map(p -> d.prepareTraining(p, 42, 1)).collect());
        List<float[]> retried = stream(sc.parallelize(paths, 2).map(p -> {
            TaskContext task = TaskContext.get();
            if (task.partitionId() == 0 && task.attemptNumber() == 0) {
                throw new IllegalStateException("injected failure on the first attempt");
            }
            return d.prepareTraining(p, 42, 1);
        }).collect());
        assertSameStream(clean, retried);
    }

    @Test
    void anotherEpochDrawsOtherTransforms() {
        String first = manifest.shardsOf("train").get(0).path();
        float[] e1 = data.prepareTraining(first, 42, 1).getFeatures().data().asFloat();
        float[] e2 = data.prepareTraining(first, 42, 2).getFeatures().data().asFloat();
        assertFalse(java.util.Arrays.equals(e1, e2));
    }

    @Test
    void validationIsOnlyRescaled() {
        RunLayout run = RunLayout.of(config.output().uri(), "aug");
        List<float[]> expected = new ArrayList<>();
        for (ShardInfo shard : manifest.shardsOf("validation")) {
            DataSet raw = ShardSource.of(storage, run, manifest).read(shard.path());
            float[] pixels = raw.getFeatures().castTo(DataType.FLOAT).data().asFloat();
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = pixels[i] * (float) (1.0 / 255.0);
            }
            expected.add(pixels);
        }
        List<DataSet> batches = data.evaluation(sc, "validation", 1000).collect();
        assertEquals(expected.size(), batches.size());
        for (int i = 0; i < batches.size(); i++) {
            assertArrayEquals(expected.get(i), batches.get(i).getFeatures().data().asFloat(), 1e-7f);
        }
    }

    @Test
    void evaluationReadsOnEveryCoreAndGivesEachShardsMinibatchesInStoredOrder() {
        RunLayout run = RunLayout.of(config.output().uri(), "aug");
        DataSetAugmenter rescale = new DataSetAugmenter(config.augment());
        List<DataSet> expected = new ArrayList<>();
        for (ShardInfo shard : manifest.shardsOf("validation")) {
            expected.addAll(ShardReader.cut(rescale.rescaleOnly(
                    ShardSource.of(storage, run, manifest).read(shard.path())), 3));
        }
        int shards = manifest.shardsOf("validation").size();
        assertTrue(expected.size() >= 3 * shards, "at least 3 minibatches of 3 per shard: " + expected.size());
        // the default (the session's 2 cores), and 3 tasks per shard
        for (var minibatches : List.of(data.evaluation(sc, "validation", 3), data.evaluation(sc, "validation", 3, 3 * shards))) {
            assertTrue(minibatches.getNumPartitions() >= Math.max(shards, sc.defaultParallelism()));
            List<DataSet> batches = minibatches.collect();
            assertEquals(expected.size(), batches.size());
            for (int i = 0; i < batches.size(); i++) {
                assertEquals(expected.get(i).getFeatures(), batches.get(i).getFeatures(), "minibatch " + i);
                assertEquals(expected.get(i).getLabels(), batches.get(i).getLabels(), "minibatch " + i);
            }
        }
        assertEquals(3 * shards, data.evaluation(sc, "validation", 3, 3 * shards).getNumPartitions(),
                "each of " + shards + " shard(s) read by 3 tasks");
    }

    @Test
    void materialisedCopiesReconcile() {
        PipelineConfig withCopies = config("copies", List.of("ingest.augment.copies=2"));
        ShardManifest m = new IngestJob(new PrintStream(new ByteArrayOutputStream())).run(spark, withCopies).manifest();
        long trainImages = m.splits().get("train").written();
        assertEquals(2 * trainImages, m.augmentedCopies());
        assertEquals(m.written() + m.augmentedCopies(), m.shards().stream().mapToLong(ShardInfo::examples).sum());
        assertEquals(m.listed(), m.written() + m.quarantined());
        assertEquals(manifest.splits().get("test").written(),
                m.shardsOf("test").stream().mapToLong(ShardInfo::examples).sum(), "no copies outside train");
    }

    @Test
    void previewWritesAGridOfOriginalsAndAugmentedVersions() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        String uri = new AugmentPreview(new PrintStream(log, true)).run(spark, config, 3);
        BufferedImage png = ImageIO.read(storage.open(uri));
        int cell = 16 * 6 + 2;   // 16 px images scaled 6x, 2 px gap
        assertEquals(5 * cell, png.getWidth());
        assertEquals(3 * cell, png.getHeight());
        assertTrue(log.toString().contains("epoch 1"), log.toString());
    }
}
