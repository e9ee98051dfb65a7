package org.sparkcnn.pipeline.demo;

import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.storage.Storage;
import org.sparkcnn.pipeline.testing.InJvmS3;
import org.sparkcnn.pipeline.testing.LocalSpark;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole {@code run} (ingest, train, evaluate) with the corpus and every output on a real S3 endpoint
 * through S3A; then no output file and no console line contains the secret key.
 */
class S3RunIT {
    static InJvmS3 s3;
    static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        s3 = InJvmS3.start("corpus", "runs");
        spark = LocalSpark.start("S3RunIT");
        s3.configure(spark.sparkContext().hadoopConfiguration());
    }

    @AfterAll
    static void stop() throws Exception {
        spark.stop();
        s3.close();
    }

    @Test
    void wholeRunOnS3LeaksNoSecret() {
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        assertEquals(45, SyntheticCorpus.write(storage, "s3a://corpus/shapes", 3, 15, 32, 4));
        // The secret also arrives as a spark.* pass-through, as a careless user might pass it.
        PipelineConfig config = ConfigLoader.load(null, List.of("output.uri=s3a://runs/warehouse", "run.id=s3-run",
                "corpus.uri=s3a://corpus/shapes", "image.height=16", "image.width=16", "train.epochs=2",
                "train.batch-size-per-worker=8", "spark.hadoop.fs.s3a.secret.key=" + InJvmS3.SECRET_KEY));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        DemoResult result = new EndToEndJob(new PrintStream(console, true)).run(spark, config);
        assertEquals(45, result.ingest().manifest().listed());
        assertEquals(2, result.train().epochs().size());
        assertTrue(result.evaluation().examples() > 0);
        assertEquals(java.util.Optional.of("s3a://runs/warehouse/s3-run/report.html"), result.report());

        List<FileStatus> outputs = storage.listFiles("s3a://runs/warehouse/s3-run", true);
        for (String expected : List.of("manifest.json", "evaluation.json", "checkpoints/final",
                "metrics/history.json", "preprocessing.json", "report.html")) {
            assertTrue(outputs.stream().anyMatch(f -> f.getPath().toString().endsWith("/s3-run/" + expected)), expected);
        }
        assertTrue(outputs.stream().anyMatch(f -> f.getPath().toString().matches(".*/s3-run/ingest/g-[^/]+/shards/train/part-00000\\.bin")),
                "shards in the ingest's generation on S3");
        assertTrue(outputs.stream().anyMatch(f -> f.getPath().toString().contains("/metrics/epochs/run_id=s3-run/")),
                "Parquet epochs table on S3");
        byte[] secret = InJvmS3.SECRET_KEY.getBytes(StandardCharsets.UTF_8);
        for (FileStatus f : outputs) {
            assertFalse(contains(storage.readAll(f.getPath().toString()), secret), "secret found in " + f.getPath());
        }
        assertFalse(console.toString(StandardCharsets.UTF_8).contains(InJvmS3.SECRET_KEY), "secret on the console");
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
