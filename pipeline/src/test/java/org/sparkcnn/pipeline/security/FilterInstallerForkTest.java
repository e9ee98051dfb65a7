package org.sparkcnn.pipeline.security;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the guard gets into a JVM under each filter setting, each in a fresh child JVM (the JDK lets a JVM's filter
 * factory and JVM-wide filter be set once only, so one test JVM can show one case).
 */
class FilterInstallerForkTest {
    private static final String TRIPWIRE = Tripwire.class.getName();

    private static String probe(String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        List<String> args = new ArrayList<>();
        for (String o : options) {
            (o.startsWith("-") ? cmd : args).add(o);
        }
        cmd.add(GuardProbeMain.class.getName());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void aFreshJvmGetsTheFactory() throws Exception {
        String out = probe();
        assertTrue(out.contains("tripwire: refused probe.zip") && out.contains(TRIPWIRE), out);
        assertTrue(out.contains("mode: FACTORY"), out);
        assertTrue(out.contains("linked list: read [a]"), out);
        assertTrue(out.contains("outside: readObject ran 1 time(s)"), out);
    }

    @Test
    void aJvmThatAlreadyDeserialisedGetsTheScopedJvmWideFilter() throws Exception {
        String out = probe("stream-first");
        assertTrue(out.contains("tripwire: refused probe.zip") && out.contains(TRIPWIRE), out);
        assertTrue(out.contains("mode: JVM_WIDE_FILTER"), out);
        assertTrue(out.contains("linked list: read [a]"), out);
        assertTrue(out.contains("outside: readObject ran 1 time(s)"), out);
    }

    @Test
    void aJvmWideFilterSetAtStartWithoutOurFactoryFailsLoudlyAndSaysWhatToDo() throws Exception {
        String out = probe("-Djdk.serialFilter=!java.util.LinkedList", "stream-first");
        assertTrue(out.contains("cannot: Cannot guard Java deserialisation") && out.contains("Nothing was read"), out);
        assertTrue(out.contains("-Djdk.serialFilterFactory=" + ScopedFilterFactory.class.getName()), out);
    }

    @Test
    void ourFactoryNamedAtStartComposesWithTheJvmWideFilter() throws Exception {
        String out = probe("-Djdk.serialFilterFactory=" + ScopedFilterFactory.class.getName(),
                "-Djdk.serialFilter=!java.util.LinkedList", "stream-first");
        assertTrue(out.contains("tripwire: refused probe.zip") && out.contains(TRIPWIRE), out);
        assertTrue(out.contains("mode: FACTORY"), out);
        // On our list, but the operator's JVM-wide filter refuses it: a class must pass both.
        assertTrue(out.contains("linked list: refused list.bin") && out.contains("java.util.LinkedList, which this JVM's "
                + "own deserialisation filter"), out);
        // Outside the guard, the operator's filter alone applies, as before.
        assertTrue(out.contains("outside: readObject ran 1 time(s)"), out);
    }
}
