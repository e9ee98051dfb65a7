package org.sparkcnn.pipeline.storage;

import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.demo.DemoResult;
import org.sparkcnn.pipeline.demo.EndToEndJob;
import org.sparkcnn.pipeline.demo.SyntheticCorpus;
import org.sparkcnn.pipeline.predict.PredictJob;
import org.sparkcnn.pipeline.predict.PredictResult;
import org.sparkcnn.pipeline.testing.InJvmS3;
import org.sparkcnn.pipeline.testing.LocalSpark;
import org.sparkcnn.pipeline.testing.MiniHdfs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Filesystems mixed freely in one run: the corpus on S3 (S3A against an in-JVM S3 server), every output of
 * {@code run} (shards, checkpoints, tables, report) on a real HDFS, then {@code predict} on an S3 glob with its
 * table written to the local filesystem. No output on HDFS holds the S3 secret.
 */
class MixedStorageIT {
    @TempDir
    static Path tmp;
    static InJvmS3 s3;
    static MiniHdfs hdfs;
    static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        s3 = InJvmS3.start("corpus");
        hdfs = MiniHdfs.start(tmp.resolve("dfs").toFile());
        spark = LocalSpark.start("MixedStorageIT");
        s3.configure(spark.sparkContext().hadoopConfiguration());
    }

    @AfterAll
    static void stop() throws Exception {
        spark.stop();
        hdfs.close();
        s3.close();
    }

    @Test
    void corpusOnS3OutputsOnHdfsPredictionsOnLocalDisk() throws Exception {
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        assertEquals(36, SyntheticCorpus.write(storage, "s3a://corpus/mixed", 3, 12, 32, 8));
        PipelineConfig config = ConfigLoader.load(null, List.of("output.uri=" + hdfs.uri() + "/runs", "run.id=mixed",
                "corpus.uri=s3a://corpus/mixed", "image.height=16", "image.width=16", "train.epochs=1",
                "train.batch-size-per-worker=8"));
        DemoResult result = new EndToEndJob(new PrintStream(new ByteArrayOutputStream())).run(spark, config);

        RunLayout run = RunLayout.of(config.output().uri(), "mixed");
        assertEquals(36, result.ingest().manifest().listed());
        assertTrue(run.root().startsWith("hdfs://"), run.root());
        for (String uri : List.of(run.manifest(), run.evaluationJson(), run.report(),
                Storage.join(run.checkpoints(), "final"))) {
            assertTrue(storage.exists(uri), uri);
        }
        assertTrue(storage.readString(run.manifest()).contains("s3a://corpus/mixed"), "the manifest names the S3 corpus");

        Path local = tmp.resolve("predictions");
        PredictResult predicted = new PredictJob(new PrintStream(new ByteArrayOutputStream())).run(spark, config, "final",
                "", local.toString(), List.of("s3a://corpus/mixed/images/circle/0000*.jpg"));
        assertEquals(10, predicted.inputs(), "the S3 glob matched circle/00000..00009");
        assertEquals(0, predicted.unreadable());
        assertEquals(11, Files.readAllLines(local.resolve("predictions.csv")).size());
        assertEquals(10, spark.read().parquet(local.resolve("parquet").toUri().toString()).count());

        byte[] secret = InJvmS3.SECRET_KEY.getBytes(StandardCharsets.UTF_8);
        for (FileStatus f : storage.listFiles(run.root(), true)) {
            String text = new String(storage.readAll(f.getPath().toString()), StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(new String(secret, StandardCharsets.ISO_8859_1)), "secret in " + f.getPath());
        }
    }
}
