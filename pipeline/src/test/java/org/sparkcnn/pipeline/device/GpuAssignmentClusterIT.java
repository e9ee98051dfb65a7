package org.sparkcnn.pipeline.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark's scheduler hands GPUs to tasks in executors of their own ({@code local-cluster}, with a worker whose
 * discovery script reports GPUs 0 and 1), and {@link GpuAssignment#ofTask} maps each through the executor's
 * {@code CUDA_VISIBLE_DEVICES=1,0} to CUDA ordinals. The cluster runs in a child JVM (about 10 s): its executor
 * launch needs Spark's testing switches, which must not leak into this JVM's other tests.
 */
class GpuAssignmentClusterIT {
    @TempDir
    Path dir;

    @Test
    void tasksGetTheWorkersGpusMappedThroughCudaVisibleDevices() throws Exception {
        Path script = dir.resolve("gpus.sh");
        Files.writeString(script, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = Files.createDirectories(dir.resolve("spark-home"));

        List<String> opens = ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognized")).toList();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(opens);
        command.addAll(List.of("-Xmx1g", "-Dspark.testing=true", "-Dspark.test.home=" + home,
                "-cp", System.getProperty("java.class.path"), LocalClusterGpuMain.class.getName(),
                script.toString(), "1,0", String.join(" ", opens)));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("SPARK_TESTING", "1");
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");
        Path log = dir.resolve("child.log");
        Process child = pb.redirectOutput(log.toFile()).start();
        boolean done = child.waitFor(180, TimeUnit.SECONDS);
        if (!done) {
            child.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(done && child.exitValue() == 0, "child JVM failed:\n" + tail(output));

        List<String[]> assigned = output.lines().filter(l -> l.startsWith("ASSIGNED ")).map(l -> l.split(" "))
                .toList();
        assertEquals(4, assigned.size(), tail(output));
        for (String[] a : assigned) {
            String address = a[2];
            assertTrue(address.equals("0") || address.equals("1"), String.join(" ", a));
            assertEquals(address.equals("0") ? 1 : 0, Integer.parseInt(a[3]), "CUDA_VISIBLE_DEVICES=1,0 reverses");
            assertEquals(4, a.length, "one GPU per task: no note");
        }
        assertEquals(2, assigned.stream().map(a -> a[2]).collect(Collectors.toSet()).size(), "both GPUs used");
    }

    private static String tail(String output) throws IOException {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
