package org.sparkcnn.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.jobs.cluster.SparkDistribution;
import org.sparkcnn.jobs.cluster.StandaloneCluster;
import org.sparkcnn.jobs.cluster.YarnHdfsCluster;
import org.sparkcnn.pipeline.demo.SyntheticCorpus;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shaded jar on YARN in cluster mode, as a scheduler (Airflow) submits it: {@code bin/submit} with a properties
 * template, over a cluster whose {@code spark-defaults.conf} has settings of its own, to a MiniYARNCluster whose
 * NodeManager runs the driver (inside the ApplicationMaster) and two executors as separate JVMs, with all data on
 * HDFS (MiniDFSCluster). Their classpath is the test Spark distribution ({@code spark.yarn.jars=local:...}) plus the
 * application jar, localized from HDFS, as on a real cluster.
 *
 * <p>Ingest, train (2 epochs, 2 executors) and evaluate must each end FINISHED/SUCCEEDED in exactly one attempt (a
 * {@code System.exit} in main would make the ApplicationMaster report the attempt FAILED and YARN retry it). A typo in
 * a config key must end FAILED, with the key in YARN's diagnostics. The ingest application's event log (a setting of
 * the cluster's defaults) must show the template's settings in the driver's SparkConf too.
 */
class YarnClusterIT {
    private static final String RUN = "yarn-it";
    /** This Spark line's spark-submit jar (-spark.jar, or -spark4.jar under -Pspark4), named by the pom. */
    private static final Path SHADED_JAR = Path.of(System.getProperty("shaded.jar",
            "target/spark-cnn-pipeline-jobs-0.1.0-spark.jar"));
    private static final Path SUBMIT = Path.of("..", "bin", "submit").toAbsolutePath().normalize();
    private static final int APP_TIMEOUT_S = 300;
    /**
     * Flags for every container JVM: Spark's Java 17 module options (the project's spark.jvm.opens); C1 only and the
     * serial collector, for small JVMs that start often on few cores.
     */
    private static final String CONTAINER_JVM = String.join(" ", StandaloneCluster.JAVA_17_OPENS)
            + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
    private static final String ND4J_JVM = " -Dorg.bytedeco.javacpp.maxbytes=1G -Dorg.bytedeco.javacpp.maxphysicalbytes=0";

    @TempDir
    static Path dir;
    static long started;
    static YarnHdfsCluster cluster;
    static SparkDistribution spark;
    static Path sparkConfDir;
    static Path template;
    static String jarUri;
    static String warehouse;
    static final Set<ApplicationId> seen = new HashSet<>();
    static final List<Process> submissions = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        started = System.nanoTime();
        assertTrue(Files.isRegularFile(SHADED_JAR), "no shaded jar at " + SHADED_JAR.toAbsolutePath()
                + " (built with -DskipShade?); run mvn verify");
        cluster = YarnHdfsCluster.start("YarnClusterIT", dir, 6144);
        phase("HDFS and YARN started");
        spark = SparkDistribution.assemble(dir.resolve("spark-home"), Files.readString(Path.of("target", "test-classpath.txt")));
        String hdfs = cluster.hdfsUri();
        Storage storage = Storage.of(cluster.fileSystem().getConf());

        // The application jar goes to HDFS once, world-readable: YARN localizes it once into its public cache,
        // and spark-submit does not upload a jar that is already on the cluster's file system.
        jarUri = hdfs + "/apps/" + SHADED_JAR.getFileName();
        cluster.fileSystem().copyFromLocalFile(new org.apache.hadoop.fs.Path(SHADED_JAR.toAbsolutePath().toUri()),
                new org.apache.hadoop.fs.Path(jarUri));
        phase("application jar on HDFS");
        cluster.fileSystem().mkdirs(new org.apache.hadoop.fs.Path(hdfs + "/spark-events"));
        String corpus = hdfs + "/data/corpus";
        SyntheticCorpus.write(storage, corpus, 3, 20, 32, 7);
        warehouse = hdfs + "/warehouse";
        phase("corpus on HDFS");

        Path jobConf = dir.resolve("job.conf");
        Files.writeString(jobConf, String.join("\n",
                "output.uri = \"" + warehouse + "\"",
                "corpus { uri = \"" + corpus + "\", layout = food101 }",
                "image { height = 32, width = 32, channels = 3 }",
                "split.validation-fraction = 0.15",
                "model.architecture = lenet",
                "train { epochs = 2, batch-size-per-worker = 8, averaging-frequency = 1, workers = 2, learning-rate = 0.002 }",
                ""));

        // The cluster's own defaults, as an administrator keeps them in SPARK_CONF_DIR.
        sparkConfDir = Files.createDirectories(dir.resolve("spark-conf"));
        String javaHome = System.getProperty("java.home");
        Files.writeString(sparkConfDir.resolve("spark-defaults.conf"), String.join("\n",
                "# this cluster's spark-defaults.conf",
                "spark.yarn.jars                         local:" + spark.home().resolve("jars") + "/*",
                "spark.eventLog.enabled                  true",
                "spark.eventLog.dir                      " + hdfs + "/spark-events",
                // one plain JSON file per application, as Spark 3.5 writes by default (Spark 4 rolls and compresses)
                "spark.eventLog.rolling.enabled          false",
                "spark.eventLog.compress                 false",
                "spark.yarn.appMasterEnv.JAVA_HOME       " + javaHome,
                "spark.executorEnv.JAVA_HOME             " + javaHome,
                "spark.yarn.appMasterEnv.SPARK_LOCAL_IP  127.0.0.1",
                "spark.executorEnv.SPARK_LOCAL_IP        127.0.0.1",
                "spark.executor.memory                   4g",
                ""));

        // The job's template (a small conf/spark/yarn-cpu.conf), in each of the forms a properties file allows.
        template = dir.resolve("yarn-test.conf");
        Files.writeString(template, String.join("\n",
                "# spark-cnn-pipeline on the test's YARN cluster",
                "spark.master                        yarn",
                "spark.submit.deployMode=cluster",
                "spark.executor.instances: 2",
                "",
                "   ! sizes: two executors and the driver fit the NodeManager",
                "spark.executor.cores                1",
                "spark.executor.memory               640m   ",
                "spark.executor.memoryOverhead       512m",
                "spark.driver.memory = 640m",
                "spark.driver.extraJavaOptions       " + CONTAINER_JVM + ND4J_JVM,
                "spark.executor.extraJavaOptions     " + CONTAINER_JVM + ND4J_JVM,
                "spark.yarn.am.extraJavaOptions      " + CONTAINER_JVM,
                "spark.executorEnv.OMP_NUM_THREADS   1",
                "spark.yarn.appMasterEnv.OMP_NUM_THREADS 1",
                "spark.serializer                    org.apache.spark.serializer.KryoSerializer",
                "spark.kryo.registrator              org.sparkcnn.pipeline.spark.PipelineKryoRegistrator",
                "spark.task.maxFailures              2",
                "spark.ui.enabled                    false",
                "spark.files                         " + jobConf,
                ""));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (Process p : submissions) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        phase("tests done");
        if (cluster != null) {
            cluster.close();
        }
        System.out.printf("YarnClusterIT: %d s in all%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    @Test
    void ingestTrainAndEvaluateEachSucceedInOneAttempt() throws Exception {
        Application ingest = submit("ingest");
        assertSucceededOnce(ingest);
        assertTrue(exists(runRoot() + "/manifest.json"), "ingest committed its manifest");
        assertDriverSawDefaultsAndTemplate(ingest);

        Application train = submit("train");
        assertSucceededOnce(train);
        assertEquals("epoch-0002", read(runRoot() + "/checkpoints/final").trim(), train.describe());

        Application evaluate = submit("evaluate");
        assertSucceededOnce(evaluate);
        JsonNode evaluation = new ObjectMapper().readTree(read(runRoot() + "/evaluation.json"));
        double accuracy = evaluation.path("accuracy").asDouble(-1);
        assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy in evaluation.json: " + evaluation);

        for (Application a : List.of(ingest, train, evaluate)) {
            System.out.printf("YarnClusterIT: %s %s %s/%s, %d attempt(s), %d s%n", a.verb, a.id,
                    a.report.getYarnApplicationState(), a.report.getFinalApplicationStatus(), a.attempts, a.seconds);
        }
    }

    @Test
    void aConfigTypoFailsTheApplicationWithTheKeyInItsDiagnostics() throws Exception {
        Application typo = submit("train", "--run-id", RUN + "-typo", "--set", "train.epocs=2");
        assertFalse(typo.exitCode == 0, "spark-submit reports the failure: " + typo.describe());
        assertEquals(FinalApplicationStatus.FAILED, typo.report.getFinalApplicationStatus(), typo.describe());
        String diagnostics = typo.report.getDiagnostics();
        assertTrue(diagnostics.contains("train.epocs"), "the key in YARN's diagnostics: " + typo.describe());
        // The ApplicationMaster's own final message (it registered, so it could report one), not the tail of a
        // failed container's stderr.
        assertTrue(diagnostics.startsWith("User class threw exception: " + PipelineFailedException.class.getName()
                + ": bad config or input (exit code 2)"), typo.describe());
        System.out.printf("YarnClusterIT: typo %s %s/%s, %d attempt(s), %d s; diagnostics:%n%s%n", typo.id,
                typo.report.getYarnApplicationState(), typo.report.getFinalApplicationStatus(), typo.attempts,
                typo.seconds, diagnostics);
    }

    /** The driver's SparkConf, as its event log recorded it: the cluster's defaults and the template's settings. */
    private static void assertDriverSawDefaultsAndTemplate(Application app) throws IOException {
        List<FileStatus> logs = new ArrayList<>();
        for (FileStatus f : cluster.fileSystem().listStatus(new org.apache.hadoop.fs.Path(cluster.hdfsUri() + "/spark-events"))) {
            if (f.getPath().getName().startsWith(app.id.toString())) {
                logs.add(f);
            }
        }
        assertEquals(1, logs.size(), "one event log (spark.eventLog.* from spark-defaults.conf) for " + app.id + ": " + logs);
        Map<String, String> conf = null;
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(cluster.fileSystem().open(logs.get(0).getPath()),
                StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null && conf == null; line = in.readLine()) {
                JsonNode event = json.readTree(line);
                if ("SparkListenerEnvironmentUpdate".equals(event.path("Event").asText())) {
                    conf = json.convertValue(event.path("Spark Properties"),
                            json.getTypeFactory().constructMapType(Map.class, String.class, String.class));
                }
            }
        }
        assertNotNull(conf, "the event log has the driver's environment");
        assertEquals("true", conf.get("spark.eventLog.enabled"), "from spark-defaults.conf");
        assertEquals("cluster", conf.get("spark.submit.deployMode"), "from the template");
        assertEquals("2", conf.get("spark.task.maxFailures"), "from the template");
        assertEquals("640m", conf.get("spark.executor.memory"), "the template wins over spark-defaults.conf");
        assertTrue(conf.getOrDefault("spark.executor.extraJavaOptions", "").contains(CONTAINER_JVM + ND4J_JVM),
                "a value with spaces, whole: " + conf.get("spark.executor.extraJavaOptions"));
        assertEquals(List.of(), conf.keySet().stream().filter(k -> k.contains("!") || k.contains("#")).toList(),
                "no comment became a setting");
    }

    private static void phase(String what) {
        System.out.printf("YarnClusterIT: %s at %d s%n", what, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    private static String runRoot() {
        return warehouse + "/" + RUN;
    }

    private static boolean exists(String uri) throws IOException {
        return cluster.fileSystem().exists(new org.apache.hadoop.fs.Path(uri));
    }

    private static String read(String uri) throws IOException {
        try (var in = cluster.fileSystem().open(new org.apache.hadoop.fs.Path(uri))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void assertSucceededOnce(Application app) {
        assertEquals(0, app.exitCode, app.describe());
        assertEquals(YarnApplicationState.FINISHED, app.report.getYarnApplicationState(), app.describe());
        assertEquals(FinalApplicationStatus.SUCCEEDED, app.report.getFinalApplicationStatus(), app.describe());
        assertEquals(1, app.attempts, "exactly one attempt: " + app.describe());
    }

    /**
     * {@code bin/submit <template> <verb> --conf job.conf --run-id yarn-it [options]} (job.conf reaches the driver's
     * working directory through {@code spark.files}); waits for spark-submit, which waits for the application.
     */
    private static synchronized Application submit(String verb, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", SUBMIT.toString(), template.toString(), verb,
                "--conf", "job.conf", "--run-id", RUN));
        cmd.addAll(List.of(options));
        Path log = dir.resolve("submit-" + verb + "-" + submissions.size() + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", spark.home().toString());
        env.put("SPARK_CONF_DIR", sparkConfDir.toString());
        env.put("HADOOP_CONF_DIR", cluster.confDir().toString());
        env.put("YARN_CONF_DIR", cluster.confDir().toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("SPARK_CNN_JAR", jarUri);
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        long t0 = System.nanoTime();
        Process p = pb.start();
        submissions.add(p);
        boolean done = p.waitFor(APP_TIMEOUT_S, TimeUnit.SECONDS);
        YarnClient yarn = cluster.yarnClient();
        List<ApplicationReport> fresh = yarn.getApplications().stream()
                .filter(r -> !seen.contains(r.getApplicationId())).toList();
        fresh.forEach(r -> seen.add(r.getApplicationId()));
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            for (ApplicationReport r : fresh) {
                yarn.killApplication(r.getApplicationId());
            }
            throw new AssertionError(verb + ": spark-submit did not finish within " + APP_TIMEOUT_S + " s: "
                    + Files.readString(log) + fresh.stream().map(r -> cluster.containerLogs(r.getApplicationId(), 6000))
                    .collect(Collectors.joining()));
        }
        assertEquals(1, fresh.size(), verb + ": one application submitted: " + fresh + "\n" + Files.readString(log));
        ApplicationId id = fresh.get(0).getApplicationId();
        return new Application(verb, id, yarn.getApplicationReport(id), yarn.getApplicationAttempts(id).size(),
                p.exitValue(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), log);
    }

    private record Application(String verb, ApplicationId id, ApplicationReport report, int attempts, int exitCode,
                               long seconds, Path log) {
        String describe() {
            String submitLog;
            try {
                submitLog = Files.readString(log);
            } catch (IOException e) {
                submitLog = "(no log: " + e + ")";
            }
            return verb + " " + id + ": " + report.getYarnApplicationState() + "/" + report.getFinalApplicationStatus()
                    + ", " + attempts + " attempt(s), spark-submit exit " + exitCode + "; diagnostics: "
                    + report.getDiagnostics() + "\n---- spark-submit ----\n"
                    + submitLog.substring(Math.max(0, submitLog.length() - 6000))
                    + cluster.containerLogs(id, 6000);
        }
    }
}
