package org.sparkcnn.jobs;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.jobs.cluster.StandaloneCluster;
import org.sparkcnn.pipeline.demo.SyntheticCorpus;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded jar on a real multi-JVM Spark standalone cluster (a Master and two Workers on 127.0.0.1, each a
 * process of its own, executors in further processes), submitted with spark-submit semantics: ingest, then
 * parameter-averaged training whose driver is killed mid-epoch and resubmitted with the same run id. This is
 * what proves Kryo registration, closure serialisation, native-library loading from the shaded jar on the
 * executors, and resume after a driver crash.
 */
class StandaloneClusterIT {
    private static final String RUN = "cluster-it";
    private static final Path SHADED_JAR = Path.of("target", "spark-cnn-pipeline-jobs-0.1.0-spark.jar");

    @TempDir
    static Path dir;
    static StandaloneCluster cluster;
    static Path warehouse;
    static Path jobConf;

    @BeforeAll
    static void startCluster() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(SHADED_JAR),
                "skipped: no shaded jar at " + SHADED_JAR.toAbsolutePath() + " (built with -DskipShade?); run mvn verify");
        String classpath = Files.readString(Path.of("target", "classpath.txt"));
        cluster = StandaloneCluster.start(dir, classpath, 2, 1, "1g");

        warehouse = dir.resolve("warehouse");
        Path corpus = dir.resolve("corpus");
        SyntheticCorpus.write(Storage.of(new Configuration()), corpus.toUri().toString(), 4, 50, 40, 7);
        jobConf = dir.resolve("job.conf");
        Files.writeString(jobConf, String.join("\n",
                "output.uri = \"" + warehouse.toUri() + "\"",
                "output.shared-local-filesystem = true",   // one machine: the driver and executors share its disk
                "corpus { uri = \"" + corpus.toUri() + "\", layout = food101 }",
                "image { height = 32, width = 32, channels = 3 }",
                "split.validation-fraction = 0.15",
                "model.architecture = lenet",
                "train { epochs = 3, batch-size-per-worker = 8, averaging-frequency = 1, workers = 2, learning-rate = 0.002 }",
                "checkpoint.every-rounds = 1",
                ""));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void ingestThenTrainingWhoseDriverIsKilledMidEpochResumesOnTheCluster() throws Exception {
        Submission ingest = submit("ingest", "ingest");
        assertEquals(0, ingest.waitFor(300), ingest.log());
        assertTrue(Files.exists(runRoot().resolve("manifest.json")), "ingest committed its manifest");

        // The first training driver is killed once a mid-epoch checkpoint of epoch 2 is published.
        Submission first = submit("train", "train-killed");
        String killedAt = awaitLatestCheckpoint(first, "epoch-0002-round-", 300);
        first.kill();
        assertTrue(first.log().contains("preflight: executor 0: "), first.log());
        assertTrue(first.log().contains("preflight: executor 1: "), "two executor JVMs: " + first.log());
        assertTrue(first.log().contains("ND4J backend CpuBackend (oneDNN helpers on)"),
                "ND4J's oneDNN natives loaded from the shaded jar on the executors (NativeBackendPlugin)");
        String latestAfterKill = latestCheckpoint();
        assertTrue(latestAfterKill.startsWith("epoch-0002-round-"),
                "killed mid-epoch 2 (saw " + killedAt + ", latest is now " + latestAfterKill + ")");
        assertFalse(Files.exists(runRoot().resolve("checkpoints").resolve("final")), "the killed run did not finish");

        // The resumed run averages through barrier jobs: the executors exchange parameters with allGather (the
        // exchange is not part of the training fingerprint, as both give the same updates).
        Submission resumed = submit("train", "train-resumed", "--set", "train.exchange=barrier");
        assertEquals(0, resumed.waitFor(300), resumed.log());
        assertTrue(first.log().contains("exchange job-per-round (train.exchange = auto)"), first.log());
        assertTrue(resumed.log().contains("exchange barrier (allGather) (train.exchange = barrier)"), resumed.log());
        assertTrue(resumed.log().contains("resuming run " + RUN + " from checkpoint " + latestAfterKill), resumed.log());
        System.out.printf("StandaloneClusterIT: driver killed at %s; resumed from %s%n", killedAt, latestAfterKill);

        List<String[]> epochs = csv(runRoot().resolve("metrics").resolve("epochs.csv"));
        assertEquals(List.of("1", "2", "3"), epochs.stream().map(r -> r[1]).toList(), "each epoch once, in order");
        for (String[] row : epochs) {
            double valAccuracy = Double.parseDouble(row[5]);
            assertTrue(valAccuracy >= 0 && valAccuracy <= 1, "val_accuracy " + valAccuracy);
        }
        Set<String> roundKeys = new HashSet<>();
        for (String[] r : csv(runRoot().resolve("metrics").resolve("rounds.csv"))) {
            assertTrue(roundKeys.add(r[1] + "/" + r[2]), "round " + r[1] + "/" + r[2] + " recorded once");
        }
        assertEquals("epoch-0003", Files.readString(runRoot().resolve("checkpoints").resolve("final")).trim());

        // Every worker ran an executor JVM of this application, and each logged its ND4J settings.
        for (int w = 1; w <= 2; w++) {
            try (Stream<Path> files = Files.walk(cluster.workerDir(w))) {
                List<Path> stderr = files.filter(p -> p.getFileName().toString().equals("stderr")).toList();
                assertFalse(stderr.isEmpty(), "worker " + w + " launched executors");
                boolean logged = false;
                for (Path p : stderr) {
                    logged |= Files.readString(p).contains("spark-cnn preflight: executor");
                }
                assertTrue(logged, "an executor of worker " + w + " loaded ND4J and logged its settings");
            }
        }
    }

    private static Path runRoot() {
        return warehouse.resolve(RUN);
    }

    private static String latestCheckpoint() throws IOException {
        Path latest = runRoot().resolve("checkpoints").resolve("latest");
        return Files.exists(latest) ? Files.readString(latest).trim() : "";
    }

    private static String awaitLatestCheckpoint(Submission s, String prefix, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String latest = latestCheckpoint();
            if (latest.startsWith(prefix)) {
                return latest;
            }
            assertTrue(s.process().isAlive(), "training ended before a checkpoint " + prefix + "*: " + s.log());
            Thread.sleep(50);
        }
        throw new AssertionError("no checkpoint " + prefix + "* within " + seconds + " s: " + s.log());
    }

    private static List<String[]> csv(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                rows.add(line.split(","));
            }
        }
        return rows;
    }

    private static Submission submit(String verb, String name, String... options) throws IOException {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.executor.memory", "768m");
        conf.put("spark.executor.cores", "1");
        conf.put("spark.cores.max", "2");
        conf.put("spark.executor.extraJavaOptions",
                "-Dorg.bytedeco.javacpp.maxbytes=1G -Dorg.bytedeco.javacpp.maxphysicalbytes=3G");
        conf.put("spark.executorEnv.OMP_NUM_THREADS", "1");
        conf.put("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.put("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator,org.sparkcnn.pipeline.spark.PipelineKryoRegistrator");
        conf.put("spark.task.maxFailures", "2");
        conf.put("spark.ui.enabled", "false");
        Path log = dir.resolve(name + ".log");
        Process p = cluster.submit(SHADED_JAR.toAbsolutePath(), "org.sparkcnn.jobs.PipelineMain", conf,
                Stream.concat(Stream.of(verb, "--conf", jobConf.toString(), "--run-id", RUN),
                        Stream.of(options)).toList(), log,
                "-Dlog4j2.configurationFile=" + Path.of("..", "conf", "log4j2.properties").toAbsolutePath());
        return new Submission(p, log);
    }

    private record Submission(Process process, Path logFile) {
        int waitFor(int seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                kill();
                throw new AssertionError("spark-submit did not finish within " + seconds + " s: " + log());
            }
            return process.exitValue();
        }

        void kill() throws InterruptedException {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        String log() {
            try {
                return Files.readString(logFile);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }
}
