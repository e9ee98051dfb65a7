package org.sparkcnn.jobs;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.jobs.cluster.StandaloneCluster;
import org.sparkcnn.pipeline.cli.PipelineCli;
import org.sparkcnn.pipeline.demo.SyntheticCorpus;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real main in its own JVM: outside YARN cluster mode the process exit code is the CLI's; inside it, a failure is
 * an exception carrying the CLI's message (and a success returns from main: YarnClusterIT).
 */
class PipelineMainTest {

    private static Result main(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), PipelineMain.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "main finished");
        return new Result(p.exitValue(), output);
    }

    /**
     * {@code bin/pipeline ingest} lets C2 compile only the JDK's digest classes through a HotSpot compiler directive
     * file. Directives are a diagnostic interface: this JVM must still accept the file, compile SHA-256 with C2 and
     * refuse C2 to everything else (which falls back to C1).
     */
    @Test
    void ingestsCompilerDirectivesGiveC2TheDigestAndNothingElse() throws Exception {
        Path directives = Path.of("..", "conf", "jvm", "ingest-compiler-directives.json").toAbsolutePath().normalize();
        String script = Files.readString(Path.of("..", "bin", "pipeline"));
        assertTrue(script.contains("-XX:CompilerDirectivesFile=\"$ROOT/conf/jvm/ingest-compiler-directives.json\""),
                "bin/pipeline passes the directive file to ingest");
        List<String> cmd = List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + directives, "-XX:+PrintCompilation",
                "-cp", System.getProperty("java.class.path"), DigestLoop.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM finished");
        assertEquals(0, p.exitValue(), output.substring(0, Math.min(2000, output.length())));
        assertTrue(output.contains("2 compiler directives added"), "the JVM read both directives");
        assertTrue(java.util.regex.Pattern.compile("(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+sun\\.security\\.provider\\.SHA2::implCompress0")
                .matcher(output).find(), "SHA-256's compression loop compiled by C2 (level 4)");
        assertTrue(output.contains("made not compilable on level 4  org.sparkcnn.jobs.DigestLoop::spin"),
                "our own hot method is refused by C2");
        assertFalse(java.util.regex.Pattern.compile("(?m)^\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+org\\.sparkcnn\\.")
                .matcher(output).find(), "nothing of ours at level 4");
    }

    private static Result main(String... args) throws IOException, InterruptedException {
        return main(List.of(), args);
    }

    record Result(int code, String output) {}

    @Test
    void helpExitsZero() throws Exception {
        Result r = main("--help");
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().contains("usage: bin/pipeline"), r.output());
    }

    @Test
    void badConfigExitsTwo() throws Exception {
        Result r = main("train", "--set", "train.optimizer=adamw");
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("train.optimizer"), r.output());
    }

    @Test
    void yarnClientModeKeepsTheExitCode() throws Exception {
        Result r = main(List.of("-Dspark.master=yarn", "-Dspark.submit.deployMode=client"),
                "train", "--set", "train.epocs=2");
        assertEquals(2, r.code(), r.output());
        assertTrue(r.output().contains("train.epocs"), r.output());
    }

    /** A Spark job's success exits 0, whatever threads Spark, Hadoop or ND4J leave running. */
    @Test
    void aSuccessfulSparkRunExitsZero(@TempDir Path dir) throws Exception {
        String corpus = dir.resolve("corpus").toUri().toString();
        SyntheticCorpus.write(Storage.of(new Configuration()), corpus, 2, 5, 24, 3);
        List<String> jvm = new ArrayList<>(StandaloneCluster.JAVA_17_OPENS);
        jvm.add("-Xmx768m");
        Result r = main(jvm, "ingest", "--run-id", "main-test", "--set", "spark.master=local[1]",
                "--set", "corpus.uri=" + corpus, "--set", "corpus.layout=food101",
                "--set", "output.uri=" + dir.resolve("out").toUri(),
                "--set", "image.height=24", "--set", "image.width=24", "--set", "image.channels=3");
        assertEquals(0, r.code(), r.output());
        assertTrue(Files.exists(dir.resolve("out").resolve("main-test").resolve("manifest.json")), r.output());
    }

    @Test
    void yarnClusterModeIsReadFromTheSystemPropertiesTheApplicationMasterSets() {
        assertTrue(YarnClusterDriver.isYarnClusterDriver(props("yarn", "cluster")));
        assertFalse(YarnClusterDriver.isYarnClusterDriver(props("yarn", "client")));
        assertFalse(YarnClusterDriver.isYarnClusterDriver(props("local[2]", null)));
        assertFalse(YarnClusterDriver.isYarnClusterDriver(props("spark://127.0.0.1:7077", "cluster")));
        assertFalse(YarnClusterDriver.isYarnClusterDriver(props(null, null)), "bin/pipeline sets neither");
    }

    @Test
    void aFailureInYarnClusterModeIsAnExceptionWithTheCliMessage() {
        PipelineFailedException e = YarnClusterDriver.failure(
                new PipelineCli.Outcome(PipelineCli.BAD_INPUT, "train.epocs: unknown key", true));
        assertEquals(2, e.exitCode());
        assertEquals("bad config or input (exit code 2): train.epocs: unknown key", e.getMessage());
        assertEquals(0, e.getSuppressed().length, "Spark had started: the ApplicationMaster has registered already");
    }

    private static Properties props(String master, String deployMode) {
        Properties p = new Properties();
        if (master != null) {
            p.setProperty("spark.master", master);
        }
        if (deployMode != null) {
            p.setProperty("spark.submit.deployMode", deployMode);
        }
        return p;
    }
}
