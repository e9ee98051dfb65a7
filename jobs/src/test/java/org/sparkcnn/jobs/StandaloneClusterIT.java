package org.sparkcnn.jobs;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded jar on a real multi-JVM Spark standalone cluster (a Master and two Workers on 127.0.0.1, each a
 * process of its own, executors in further processes), submitted with spark-submit semantics: ingest, then
 * parameter-averaged training whose driver is killed mid-epoch and resubmitted with the same run id; and training
 * that loses an executor JVM to SIGKILL mid-epoch (spot preemption) and ends exactly like an uninterrupted run. This
 * is what proves Kryo registration, closure serialisation, native-library loading from the shaded jar on the
 * executors, resume after a driver crash, and recovery from a lost executor on Spark's default fault handling.
 */
class StandaloneClusterIT {
    private static final String RUN = "cluster-it";
    /** The executor-kill test's run: its own ingest, trained twice (without and with the fault). */
    private static final String EXECUTOR_RUN = "executor-kill";
    /**
     * How far the faulted run's final parameters, updater state and round losses may be from the uninterrupted
     * run's. Spark reruns a lost task from the round's broadcast start with the same seed, and the driver adds the
     * workers' results in worker order whatever order their tasks end in, so the arithmetic is the same and the runs
     * agree bit for bit (observed: 0.0). The bound only leaves room for last-bit float noise; Adam moves a parameter
     * by up to about the learning rate (2e-3) per update, so a repeated or lost round still fails.
     */
    private static final double TOLERANCE = 1e-6;
    /** This Spark line's spark-submit jar (-spark.jar, or -spark4.jar under -Pspark4), named by the pom. */
    private static final Path SHADED_JAR = Path.of(System.getProperty("shaded.jar",
            "target/spark-cnn-pipeline-jobs-0.1.0-spark.jar"));

    @TempDir
    static Path dir;
    static StandaloneCluster cluster;
    static Path warehouse;
    static Path jobConf;
    static Path driverLog4j;
    /** Every spark-submit this class started: @AfterAll kills any still running (a failed wait, a timeout). */
    static final List<Submission> SUBMITTED = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        assertTrue(Files.isRegularFile(SHADED_JAR),
                "no shaded jar at " + SHADED_JAR.toAbsolutePath() + " (built with -DskipShade?); run mvn verify");
        String classpath = Files.readString(Path.of("target", "classpath.txt"));
        cluster = StandaloneCluster.start(dir, classpath, 2, 1, "1g");

        warehouse = dir.resolve("warehouse");
        Path corpus = dir.resolve("corpus");
        SyntheticCorpus.write(Storage.of(new Configuration()), corpus.toUri().toString(), 4, 50, 40, 7);
        // The drivers log as bin/pipeline's do, plus the scheduler's task starts and losses (which executor ran which
        // partition of which stage, attempt after attempt).
        driverLog4j = dir.resolve("log4j2-driver.properties");
        Files.writeString(driverLog4j, Files.readString(Path.of("..", "conf", "log4j2.properties"))
                + "\nlogger.tasks.name = org.apache.spark.scheduler.TaskSetManager\nlogger.tasks.level = info\n");
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
        for (Submission s : SUBMITTED) {
            if (s.process().isAlive()) {
                s.kill();
            }
        }
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

    /**
     * Spot preemption: one executor JVM is killed with SIGKILL while training is mid-epoch. The standalone Master
     * launches a replacement, Spark reruns the lost tasks (and the lost executor's share of the epoch's shuffle), and
     * the run must end as if nothing had happened: exit 0, each epoch and each round recorded once, and the final
     * parameters and updater state of an uninterrupted run of the same configuration on the same cluster and ingest.
     */
    @Test
    void trainingWhoseExecutorIsKilledMidEpochEndsWithTheParametersOfAnUninterruptedRun() throws Exception {
        String[] twoEpochs = {"--set", "train.epochs=2"};
        Submission ingest = submitRun(EXECUTOR_RUN, "ingest", "ingest-" + EXECUTOR_RUN);
        assertEquals(0, ingest.waitFor(300), ingest.log());

        // The reference: the same configuration without a fault. Its checkpoints and metrics are then moved aside,
        // so the faulted run trains the same run id (and ingest) from scratch.
        Submission reference = submitRun(EXECUTOR_RUN, "train", "train-reference", twoEpochs);
        assertEquals(0, reference.waitFor(300), reference.log());
        double referenceSeconds = reference.seconds();
        Path referenceRun = Files.createDirectories(dir.resolve("reference-" + EXECUTOR_RUN));
        for (String moved : List.of("checkpoints", "metrics")) {
            Files.move(runRoot(EXECUTOR_RUN).resolve(moved), referenceRun.resolve(moved));
        }

        Submission faulted = submitRun(EXECUTOR_RUN, "train", "train-executor-killed", twoEpochs);
        String killedAfter = awaitLatestCheckpoint(EXECUTOR_RUN, faulted,
                latest -> latest.matches("epoch-0001-round-\\d+") && Integer.parseInt(latest.substring(17)) >= 3,
                "epoch-0001-round-0000N, N >= 3", 300);
        List<String> apps = cluster.activeApplications();
        assertEquals(1, apps.size(), "one application runs: " + apps);
        String app = apps.get(0);
        List<StandaloneCluster.Executor> before = cluster.executors(app);
        assertEquals(2, before.size(), "two executor JVMs of " + app + ": " + before);
        StandaloneCluster.Executor victim = before.get(0);
        String tid = killWhileRunningATask(victim, cluster.executorStderr(victim.worker(), app, victim.id()), 120);
        long killedAt = System.nanoTime();
        victim.process().onExit().get(30, TimeUnit.SECONDS);

        // The Worker reports its executor's exit code: 137 = 128 + 9, killed by SIGKILL.
        String exited = "Executor " + app + "/" + victim.id() + " finished with state EXITED message Command exited "
                + "with code 137";
        awaitLine(cluster.workerLog(victim.worker()), exited, 60);
        // The Master replaces it (a new executor id of the same application) while training goes on.
        Set<String> ids = new HashSet<>();
        before.forEach(e -> ids.add(e.id()));
        double replacedAfter = Double.NaN;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(400);
        while (faulted.process().isAlive() && System.nanoTime() < deadline) {
            if (Double.isNaN(replacedAfter)
                    && cluster.executors(app).stream().anyMatch(e -> !ids.contains(e.id()))) {
                replacedAfter = (System.nanoTime() - killedAt) / 1e9;
            }
            Thread.sleep(100);
        }
        assertEquals(0, faulted.waitFor(10), faulted.log());
        double finishedAfter = (System.nanoTime() - killedAt) / 1e9;
        assertFalse(Double.isNaN(replacedAfter), "the Master launched a replacement executor: "
                + Files.readString(cluster.masterLog()));
        assertTrue(faulted.log().contains("Lost executor " + victim.id()), faulted.log());
        // The task it ran was lost, and the same partition of the same stage ran again (a later attempt, or the stage
        // resubmitted when the lost executor's shuffle output was found missing).
        Map<String, String> started = tasksStarted(faulted.log());
        String killedTask = started.get(tid);
        assertTrue(killedTask != null && killedTask.endsWith(" on executor " + victim.id()),
                "the driver started TID " + tid + " on executor " + victim.id() + ": " + started + "; its task lines: "
                        + faulted.log().lines().filter(l -> l.contains("TID")).limit(20).toList());
        String stagePartition = killedTask.substring(0, killedTask.indexOf(" on executor "));
        List<String> reruns = started.entrySet().stream().filter(t -> Long.parseLong(t.getKey()) > Long.parseLong(tid)
                && t.getValue().startsWith(stagePartition + " on ")).map(t -> "TID " + t.getKey() + ": " + t.getValue())
                .toList();
        assertFalse(reruns.isEmpty(), "TID " + tid + " (" + killedTask + ") ran again: " + started);
        assertTrue(faulted.log().contains("exchange job-per-round (train.exchange = auto)"), faulted.log());
        System.out.printf("StandaloneClusterIT: executor %s (worker %d, pid %d) killed after checkpoint %s, running "
                        + "task TID %s (%s), run again as %s; "
                        + "replacement running after %.1f s; run finished %.1f s after the kill (ingest %.0f s, "
                        + "reference run %.0f s, faulted run %.0f s); the driver logged:%n", victim.id(),
                victim.worker(), victim.process().pid(), killedAfter, tid, killedTask, reruns, replacedAfter, finishedAfter, ingest.seconds(),
                referenceSeconds, faulted.seconds());
        faulted.log().lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ") || l.contains("TID " + tid)
                || l.contains("executor exited")).limit(20).forEach(l -> System.out.println("  " + l));

        // Each epoch once; each round once, and the same rounds with the same losses as the reference.
        Path metrics = runRoot(EXECUTOR_RUN).resolve("metrics");
        assertEquals(List.of("1", "2"), csv(metrics.resolve("epochs.csv")).stream().map(r -> r[1]).toList(),
                "each epoch once, in order");
        Map<String, String[]> rounds = roundsByKey(metrics.resolve("rounds.csv"));
        Map<String, String[]> referenceRounds = roundsByKey(referenceRun.resolve("metrics").resolve("rounds.csv"));
        assertEquals(referenceRounds.keySet(), rounds.keySet(), "the same (epoch, round) keys as the reference");
        for (Map.Entry<String, String[]> r : rounds.entrySet()) {
            String[] ref = referenceRounds.get(r.getKey());
            assertEquals(ref[4], r.getValue()[4], "examples of round " + r.getKey());
            assertEquals(Double.parseDouble(ref[3]), Double.parseDouble(r.getValue()[3]), TOLERANCE,
                    "loss of round " + r.getKey());
        }

        // The final parameters and updater state are the uninterrupted run's.
        assertEquals("epoch-0002", Files.readString(runRoot(EXECUTOR_RUN).resolve("checkpoints").resolve("final")).trim());
        assertEquals("epoch-0002", Files.readString(referenceRun.resolve("checkpoints").resolve("final")).trim());
        MultiLayerNetwork expected = ModelSerializer.restoreMultiLayerNetwork(
                referenceRun.resolve("checkpoints").resolve("epoch-0002").resolve("model.zip").toFile(), true);
        MultiLayerNetwork actual = ModelSerializer.restoreMultiLayerNetwork(
                runRoot(EXECUTOR_RUN).resolve("checkpoints").resolve("epoch-0002").resolve("model.zip").toFile(), true);
        double paramsDiff = maxAbsDiff(expected.params(), actual.params());
        double updaterDiff = maxAbsDiff(expected.getUpdater().getStateViewArray(),
                actual.getUpdater().getStateViewArray());
        System.out.printf("StandaloneClusterIT: final parameters vs the uninterrupted run: max |diff| %s over %d; "
                + "updater state %s%n", paramsDiff, expected.params().length(), updaterDiff);
        assertTrue(paramsDiff <= TOLERANCE, "final parameters differ from the uninterrupted run's by " + paramsDiff);
        assertTrue(updaterDiff <= TOLERANCE, "final updater state differs from the uninterrupted run's by " + updaterDiff);
        assertEquals(expected.getIterationCount(), actual.getIterationCount(), "update counter");
    }

    /**
     * Kills {@code victim} with SIGKILL while it runs a task: the executor is frozen (SIGSTOP), its log then tells
     * whether a task is running (a "Running task ... (TID n)" line without its "Finished task"); if none is, it
     * goes on (SIGCONT) and is tried again shortly after. Training tasks last a fraction of a second here, so a plain
     * kill could as well land between two rounds. Returns the id (TID) of the task that was running.
     */
    private static String killWhileRunningATask(StandaloneCluster.Executor victim, Path stderr, int seconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            signal(victim.process(), "STOP");
            Thread.sleep(100); // the Worker copies what the executor wrote before it stopped into its stderr file
            Set<String> running = runningTasks(Files.readString(stderr));
            if (!running.isEmpty()) {
                // destroyForcibly sends SIGKILL on Linux (a stopped process dies of it too); the Worker's log then
                // shows exit code 137 = 128 + 9
                assertTrue(victim.process().destroyForcibly(), "SIGKILL sent to executor " + victim.id());
                return running.iterator().next();
            }
            signal(victim.process(), "CONT");
            Thread.sleep(20);
        }
        throw new AssertionError("executor " + victim.id() + " ran no task within " + seconds + " s: "
                + Files.readString(stderr));
    }

    /**
     * "stage S partition P on executor E" by TID, from the driver's "Starting task" lines (Spark 3.5 writes
     * "(host, executor E, ...", Spark 4 "(host,executor E, ...").
     */
    private static Map<String, String> tasksStarted(String driverLog) {
        java.util.regex.Pattern start = java.util.regex.Pattern.compile(
                "Starting task \\S+ in stage (\\d+)\\.\\d+ \\(TID (\\d+)\\) \\([^,]+, ?executor ([^,]+), partition (\\d+),");
        Map<String, String> byTid = new LinkedHashMap<>();
        driverLog.lines().map(start::matcher).filter(java.util.regex.Matcher::find).forEach(m -> byTid.put(m.group(2),
                "stage " + m.group(1) + " partition " + m.group(4) + " on executor " + m.group(3)));
        return byTid;
    }

    /** The TIDs an executor's log shows as started and not finished. */
    private static Set<String> runningTasks(String executorLog) {
        java.util.regex.Pattern tid = java.util.regex.Pattern.compile(
                "(Running task|Finished task|Exception in task|killed task) .*\\(TID (\\d+)\\)");
        Set<String> running = new java.util.TreeSet<>();
        executorLog.lines().map(tid::matcher).filter(java.util.regex.Matcher::find).forEach(m -> {
            if (m.group(1).equals("Running task")) {
                running.add(m.group(2));
            } else {
                running.remove(m.group(2));
            }
        });
        return running;
    }

    private static void signal(ProcessHandle process, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + process.pid());
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        assertArrayEquals(a.shape(), b.shape());
        return a.sub(b).amaxNumber().doubleValue();
    }

    /** rounds.csv rows by "epoch/round", each key once. */
    private static Map<String, String[]> roundsByKey(Path file) throws IOException {
        Map<String, String[]> byKey = new LinkedHashMap<>();
        for (String[] r : csv(file)) {
            assertNull(byKey.put(r[1] + "/" + r[2], r), "round " + r[1] + "/" + r[2] + " recorded once in " + file);
        }
        return byKey;
    }

    private static void awaitLine(Path log, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no '" + text + "' in " + log + " within " + seconds + " s: "
                + (Files.exists(log) ? Files.readString(log) : "(no log)"));
    }

    private static Path runRoot() {
        return runRoot(RUN);
    }

    private static Path runRoot(String runId) {
        return warehouse.resolve(runId);
    }

    private static String latestCheckpoint() throws IOException {
        return latestCheckpoint(RUN);
    }

    private static String latestCheckpoint(String runId) throws IOException {
        Path latest = runRoot(runId).resolve("checkpoints").resolve("latest");
        return Files.exists(latest) ? Files.readString(latest).trim() : "";
    }

    private static String awaitLatestCheckpoint(Submission s, String prefix, int seconds) throws Exception {
        return awaitLatestCheckpoint(RUN, s, latest -> latest.startsWith(prefix), prefix + "*", seconds);
    }

    private static String awaitLatestCheckpoint(String runId, Submission s, java.util.function.Predicate<String> wanted,
                                                String what, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            String latest = latestCheckpoint(runId);
            if (wanted.test(latest)) {
                return latest;
            }
            assertTrue(s.process().isAlive(), "training ended before a checkpoint " + what + ": " + s.log());
            Thread.sleep(50);
        }
        throw new AssertionError("no checkpoint " + what + " within " + seconds + " s: " + s.log());
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
        return submitRun(RUN, verb, name, options);
    }

    /**
     * spark-submit of the CLI against the cluster. The Spark settings are what a real cluster of this size would be
     * given (executor size, the Kryo registrators the README requires, the javacpp off-heap limits); Spark's fault
     * handling is left at its defaults ({@code spark.task.maxFailures} 4, {@code spark.stage.maxConsecutiveAttempts}
     * 4, {@code spark.excludeOnFailure.enabled} false), as a user's cluster would have it.
     */
    private static Submission submitRun(String runId, String verb, String name, String... options) throws IOException {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.executor.memory", "768m");
        conf.put("spark.executor.cores", "1");
        conf.put("spark.cores.max", "2");
        // synchronous training wants every worker: the first job waits for both executors (standalone's default
        // ratio is 0, so a job could start, and the preflight report run, on the first executor alone)
        conf.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
        conf.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s");
        conf.put("spark.executor.extraJavaOptions",
                "-Dorg.bytedeco.javacpp.maxbytes=1G -Dorg.bytedeco.javacpp.maxphysicalbytes=3G");
        conf.put("spark.executorEnv.OMP_NUM_THREADS", "1");
        conf.put("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.put("spark.kryo.registrator", "org.sparkcnn.pipeline.spark.PipelineKryoRegistrator");
        conf.put("spark.ui.enabled", "false");
        Path log = dir.resolve(name + ".log");
        Process p = cluster.submit(SHADED_JAR.toAbsolutePath(), "org.sparkcnn.jobs.PipelineMain", conf,
                Stream.concat(Stream.of(verb, "--conf", jobConf.toString(), "--run-id", runId),
                        Stream.of(options)).toList(), log,
                "-Dlog4j2.configurationFile=" + driverLog4j.toAbsolutePath());
        Submission s = new Submission(p, log, System.nanoTime());
        SUBMITTED.add(s);
        return s;
    }

    private record Submission(Process process, Path logFile, long started) {
        /** Seconds since it was submitted. */
        double seconds() {
            return (System.nanoTime() - started) / 1e9;
        }

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
