package org.sparkcnn.jobs;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkcnn.pipeline.config.JavaCppSizes;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spark-submit templates leave JavaCPP's guard room to act: its limit on the process's resident size
 * ({@code maxphysicalbytes}) sits at least 2 GiB below the container's memory limit (executor memory plus
 * overhead), so ND4J fails an allocation with an error before the cluster manager kills the executor, and above
 * the heap plus ND4J's off-heap limit ({@code maxbytes}), so the guard does not fire in normal use.
 */
class SparkTemplatesTest {
    private static final long GIB = 1L << 30;

    @ParameterizedTest
    @ValueSource(strings = {"yarn-cpu.conf", "k8s-gpu.conf"})
    void javacppsGuardActsBeforeTheContainerLimit(String template) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("..", "conf", "spark", template))) {
            p.load(r);
        }
        long heap = JavaCppSizes.parse(p.getProperty("spark.executor.memory").trim(), 0);
        long overhead = JavaCppSizes.parse(p.getProperty("spark.executor.memoryOverhead").trim(), 0);
        String options = p.getProperty("spark.executor.extraJavaOptions");
        long maxBytes = JavaCppSizes.parse(JavaCppSizes.optionValue(options, JavaCppSizes.MAX_BYTES), 0);
        long physical = JavaCppSizes.parse(JavaCppSizes.optionValue(options, JavaCppSizes.MAX_PHYSICAL_BYTES), 0);
        long container = heap + overhead;
        assertTrue(physical <= container - 2 * GIB, template + ": maxphysicalbytes " + physical / GIB
                + " GiB must sit 2 GiB or more below the container's " + container / GIB + " GiB");
        assertTrue(physical >= heap + maxBytes, template + ": maxphysicalbytes " + physical / GIB
                + " GiB below heap + maxbytes (" + (heap + maxBytes) / GIB + " GiB) would fire in normal use");
    }
}
