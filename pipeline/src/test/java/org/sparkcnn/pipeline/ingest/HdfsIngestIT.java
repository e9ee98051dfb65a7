package org.sparkcnn.pipeline.ingest;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.demo.SyntheticCorpus;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.ShardSource;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;
import org.sparkcnn.pipeline.testing.LocalSpark;
import org.sparkcnn.pipeline.testing.MiniHdfs;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ingest that reads its corpus from, and writes its shards to, a real HDFS (MiniDFSCluster). */
class HdfsIngestIT {
    @TempDir
    static Path tmp;
    static MiniHdfs hdfs;
    static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        hdfs = MiniHdfs.start(tmp.resolve("dfs").toFile());
        spark = LocalSpark.start("HdfsIngestIT");
    }

    @AfterAll
    static void stop() {
        spark.stop();
        hdfs.close();
    }

    @Test
    void ingestsFromAndToHdfs() {
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        String corpus = hdfs.uri() + "/data/shapes";
        assertEquals(60, SyntheticCorpus.write(storage, corpus, 3, 20, 32, 5));

        PipelineConfig config = ConfigLoader.load(null, List.of("output.uri=" + hdfs.uri() + "/runs", "run.id=hdfs-run",
                "corpus.uri=" + corpus, "image.height=16", "image.width=16", "ingest.examples-per-shard=10"));
        IngestResult result = new IngestJob(new PrintStream(new ByteArrayOutputStream())).run(spark, config);
        assertTrue(result.runRoot().startsWith("hdfs://"), result.runRoot());

        RunLayout run = RunLayout.of(config.output().uri(), "hdfs-run");
        ShardManifest manifest = new ManifestStore(storage).require(run);
        assertEquals(60, manifest.listed());
        assertEquals(60, manifest.written());
        assertEquals(12, manifest.splits().get("test").written());
        assertEquals(List.of("circle", "square", "triangle"), manifest.classes());
        long read = 0;
        for (ShardInfo shard : manifest.shards()) {
            String uri = manifest.shardUri(run.root(), shard);
            assertEquals(shard.bytes(), storage.length(uri));
            DataSet ds = ShardSource.of(storage, run, manifest).read(shard.path());
            assertEquals(shard.examples(), ds.numExamples());
            read += ds.numExamples();
        }
        assertEquals(60, read);
        assertTrue(storage.exists(manifest.quarantineUri(run.root())), "quarantine table on HDFS");
        assertEquals(0, spark.read().parquet(manifest.quarantineUri(run.root())).count());
    }

    @Test
    void wholeRunWithCorpusOnHdfsAndOutputsOnHdfs() {
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        String corpus = hdfs.uri() + "/data/shapes-run";
        SyntheticCorpus.write(storage, corpus, 3, 15, 32, 6);
        PipelineConfig config = ConfigLoader.load(null, List.of("output.uri=" + hdfs.uri() + "/runs", "run.id=hdfs-e2e",
                "corpus.uri=" + corpus, "image.height=16", "image.width=16", "train.epochs=2",
                "train.batch-size-per-worker=8"));
        var result = new org.sparkcnn.pipeline.demo.EndToEndJob(new PrintStream(new ByteArrayOutputStream())).run(spark, config);
        assertEquals(2, result.train().epochs().size());
        RunLayout run = RunLayout.of(config.output().uri(), "hdfs-e2e");
        assertTrue(storage.exists(run.evaluationJson()));
        assertTrue(storage.exists(Storage.join(run.checkpoints(), "epoch-0002", "model.zip")));
        assertEquals(2, spark.read().parquet(Storage.join(run.metrics(), "epochs")).count());
        assertEquals(java.util.Optional.of(run.report()), result.report());
        String html = storage.readString(run.report());
        assertTrue(html.contains("hdfs-e2e") && html.contains("data:image/png;base64,"), "report.html on HDFS with its charts");
    }
}
