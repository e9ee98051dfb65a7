package org.sparkcnn.jobs;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real main in its own JVM: the process exit code is the CLI's. */
class PipelineMainTest {

    private static Result main(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), PipelineMain.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "main finished");
        return new Result(p.exitValue(), output);
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
}
