package org.sparkcnn.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JIT {@code bin/pipeline} starts its JVM with ({@code PIPELINE_DRY_RUN=1} prints the options): C1 alone for the
 * lesson networks, the default JIT (with C2) for training runs that name a large network on the command line or in
 * their configuration file, the digest directive for ingest, and {@code PIPELINE_JIT} deciding over all of these.
 */
class BinPipelineJitTest {
    private static final String C1 = "-XX:TieredStopAtLevel=1";

    @Test
    void theLessonNetworksRunOnC1() throws Exception {
        assertTrue(options(Map.of(), "demo", "--conf", "../conf/demo.conf").contains(C1));
        assertTrue(options(Map.of(), "train", "--set", "model.architecture=lenet").contains(C1));
        assertTrue(options(Map.of(), "train", "--conf", "../conf/food101.conf").contains(C1));
    }

    @Test
    void aRunThatNamesALargeNetworkKeepsC2(@TempDir Path dir) throws Exception {
        assertFalse(options(Map.of(), "train", "--set", "model.architecture=resnet50").contains(C1));
        assertFalse(options(Map.of(), "run", "--set", "model.architecture=\"alexnet\"").contains(C1));
        Path conf = dir.resolve("big.conf");
        Files.writeString(conf, "seed = 3\nmodel {\n  architecture: \"vgg16\"\n}\n");
        List<String> o = options(Map.of(), "train", "--conf", conf.toString());
        assertFalse(o.contains(C1), o.toString());
        Files.writeString(conf, "model.architecture = \"resnet50x\"\n");
        assertTrue(options(Map.of(), "train", "--conf", conf.toString()).contains(C1), "not a large network's name");
        assertTrue(options(Map.of(), "train", "--set", "transfer.note=resnet50").contains(C1), "another key");
    }

    @Test
    void ingestKeepsItsDigestDirectiveAndPipelineJitDecidesOverAll() throws Exception {
        List<String> ingest = options(Map.of(), "ingest", "--set", "model.architecture=resnet50");
        assertTrue(ingest.stream().anyMatch(o -> o.endsWith("conf/jvm/ingest-compiler-directives.json")), ingest.toString());
        assertTrue(options(Map.of("PIPELINE_JIT", "c1"), "train", "--set", "model.architecture=resnet50").contains(C1));
        List<String> c2 = options(Map.of("PIPELINE_JIT", "c2"), "ingest");
        assertFalse(c2.contains(C1) || c2.stream().anyMatch(o -> o.startsWith("-XX:CompilerDirectivesFile")), c2.toString());
        Result bad = run(Map.of("PIPELINE_JIT", "fast"), "train");
        assertEquals(2, bad.code());
        assertTrue(bad.output().contains("PIPELINE_JIT=fast: expected c1, c2 or nothing"), bad.output());
    }

    private static List<String> options(Map<String, String> env, String... args) throws Exception {
        Result r = run(env, args);
        assertEquals(0, r.code(), r.output());
        return r.output().lines().toList();
    }

    private record Result(int code, String output) {}

    private static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", Path.of("..", "bin", "pipeline").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("PIPELINE_JIT");
        pb.environment().remove("PIPELINE_JAVA_OPTS");
        pb.environment().put("PIPELINE_DRY_RUN", "1");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out);
    }
}
