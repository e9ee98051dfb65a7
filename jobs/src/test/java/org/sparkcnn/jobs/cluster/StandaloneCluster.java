package org.sparkcnn.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on 127.0.0.1 made of separate JVM processes: one Master and {@code workers}
 * Workers, started from a {@link SparkDistribution} (Spark and Hadoop only: our code, DL4J, ND4J and JavaCPP must
 * come from the shaded application jar, as on a real cluster). Jobs are submitted through
 * {@code org.apache.spark.deploy.SparkSubmit} in client mode, so the driver is a process of its own too.
 */
public final class StandaloneCluster implements AutoCloseable {
    /** Spark 3.5's own JavaModuleOptions, which spark-submit's launcher script would add for us. */
    public static final List<String> JAVA_17_OPENS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false",
            "-Dio.netty.tryReflectionSetAccessible=true");

    private final Path dir;
    private final Path sparkHome;
    private final String classpath;
    private final int masterPort;
    private final int masterUiPort;
    private final List<Process> daemons = new ArrayList<>();

    private StandaloneCluster(Path dir, Path sparkHome, String classpath, int masterPort, int masterUiPort) {
        this.dir = dir;
        this.sparkHome = sparkHome;
        this.classpath = classpath;
        this.masterPort = masterPort;
        this.masterUiPort = masterUiPort;
    }

    /**
     * Starts a Master and {@code workers} Workers of {@code coresPerWorker} cores and {@code workerMemory}
     * (e.g. "1536m") each, and waits until every Worker has registered.
     *
     * @param mavenClasspath the jobs module's full Maven classpath ({@code target/classpath.txt})
     */
    public static StandaloneCluster start(Path dir, String mavenClasspath, int workers, int coresPerWorker,
                                          String workerMemory) throws IOException, InterruptedException {
        SparkDistribution dist = SparkDistribution.assemble(dir.resolve("spark-home"), mavenClasspath);
        StandaloneCluster cluster = new StandaloneCluster(dir, dist.home(), dist.classpath(), freePort(), freePort());
        try {
            cluster.startDaemon("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(cluster.masterPort), "--webui-port", Integer.toString(cluster.masterUiPort)));
            for (int w = 1; w <= workers; w++) {
                Path workDir = Files.createDirectories(dir.resolve("worker-" + w));
                cluster.startDaemon("worker-" + w, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", Integer.toString(coresPerWorker), "--memory", workerMemory, "--webui-port", "0",
                        "--work-dir", workDir.toString(), cluster.masterUrl()));
            }
            cluster.awaitWorkers(workers, Duration.ofSeconds(120));
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** The directory a Worker gives its executors (one {@code app-*}/{@code <executor id>} folder each). */
    public Path workerDir(int worker) {
        return dir.resolve("worker-" + worker);
    }

    /** A Worker's own log (its daemon's stdout and stderr): executor launches and exits, with exit codes. */
    public Path workerLog(int worker) {
        return dir.resolve("worker-" + worker + ".log");
    }

    /** The stderr (Spark's log) of executor {@code executorId} of application {@code appId}, run by Worker {@code worker}. */
    public Path executorStderr(int worker, String appId, String executorId) {
        return workerDir(worker).resolve(appId).resolve(executorId).resolve("stderr");
    }

    /** The Master's log: executors removed and launched for each application. */
    public Path masterLog() {
        return dir.resolve("master.log");
    }

    /**
     * The ids of the applications the Master runs now ({@code activeapps} of its JSON status page); empty when none
     * or when the page cannot be read.
     */
    public List<String> activeApplications() throws IOException {
        try (InputStream in = URI.create("http://127.0.0.1:" + masterUiPort + "/json/").toURL().openStream()) {
            JsonNode apps = new ObjectMapper().readTree(in).path("activeapps");
            List<String> ids = new ArrayList<>();
            apps.forEach(app -> ids.add(app.path("id").asText()));
            return ids;
        }
    }

    /**
     * The executor JVMs ({@code CoarseGrainedExecutorBackend}) of application {@code appId} running now: the Workers
     * start them as their own child processes, so they are found among the Workers' descendants, by their command
     * line as {@code /proc/<pid>/cmdline} holds it.
     */
    public List<Executor> executors(String appId) {
        List<Executor> found = new ArrayList<>();
        for (int w = 1; w < daemons.size(); w++) {
            int worker = w;
            daemons.get(w).descendants().filter(ProcessHandle::isAlive).forEach(h -> {
                List<String> args = commandLine(h);
                int app = args.indexOf("--app-id");
                int id = args.indexOf("--executor-id");
                if (args.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend") && app >= 0 && id >= 0
                        && app + 1 < args.size() && id + 1 < args.size() && args.get(app + 1).equals(appId)) {
                    found.add(new Executor(args.get(id + 1), worker, h));
                }
            });
        }
        return found;
    }

    /** An executor JVM: its executor id within the application, the Worker (1-based) that runs it, its process. */
    public record Executor(String id, int worker, ProcessHandle process) {}

    /** A process's arguments, from {@code /proc} (empty when the process is gone or /proc cannot be read). */
    private static List<String> commandLine(ProcessHandle h) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline")),
                    StandardCharsets.UTF_8);
            return List.of(raw.split("\u0000"));
        } catch (IOException | RuntimeException e) {
            return h.info().arguments().map(List::of).orElse(List.of());
        }
    }

    /**
     * Starts {@code spark-submit --master <this cluster> --deploy-mode client --class mainClass [--conf k=v]...
     * applicationJar args...} as its own driver JVM; stdout and stderr go to {@code log}.
     */
    public Process submit(Path applicationJar, String mainClass, Map<String, String> sparkConf, List<String> args,
                          Path log, String... driverJvmOptions) throws IOException {
        List<String> cmd = new ArrayList<>(java("-Xmx1g"));
        cmd.addAll(1, List.of(driverJvmOptions));
        cmd.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", masterUrl(), "--deploy-mode", "client",
                "--class", mainClass));
        sparkConf.forEach((k, v) -> cmd.addAll(List.of("--conf", k + "=" + v)));
        cmd.add(applicationJar.toString());
        cmd.addAll(args);
        return processBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void startDaemon(String name, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>(java("-Xmx256m"));
        cmd.addAll(mainAndArgs);
        daemons.add(processBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start());
    }

    private List<String> java(String heap) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap));
        cmd.addAll(JAVA_17_OPENS);
        cmd.addAll(List.of("-cp", classpath));
        return cmd;
    }

    private ProcessBuilder processBuilder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", org.sparkcnn.pipeline.config.BuildLine.current().scalaBinaryVersion());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOCAL_DIRS", dir.resolve("local").toString());
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("OMP_NUM_THREADS", "1");
        return pb;
    }

    private void awaitWorkers(int expected, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI state = URI.create("http://127.0.0.1:" + masterUiPort + "/json/");
        String last = "";
        while (System.nanoTime() < deadline) {
            for (Process p : daemons) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster daemon died at start (exit " + p.exitValue()
                            + "); see the logs in " + dir);
                }
            }
            try (InputStream in = state.toURL().openStream()) {
                last = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (last.replace(" ", "").contains("\"aliveworkers\":" + expected)) {
                    return;
                }
            } catch (IOException notUpYet) {
                // the Master's web UI is not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(expected + " workers did not register within " + timeout + "; master said: " + last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (int k = daemons.size() - 1; k >= 0; k--) {
            Process p = daemons.get(k);
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
