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

    @org.junit.jupiter.api.Test
    void theKubernetesTemplatesPodTemplateAndJarAreWhereTheImageRecipePutsThem() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("..", "conf", "spark", "k8s-gpu.conf"))) {
            p.load(r);
        }
        String dockerfile = Files.readString(Path.of("..", "docker", "gpu-executor.Dockerfile"));
        String podTemplate = p.getProperty("spark.kubernetes.executor.podTemplateFile").trim();
        String inImage = "/opt/spark-cnn-pipeline/conf/";
        assertTrue(podTemplate.startsWith(inImage), podTemplate);
        assertTrue(dockerfile.contains("COPY conf " + inImage.substring(0, inImage.length() - 1) + "\n"),
                "the image recipe copies conf/ to " + inImage);
        Path shipped = Path.of("..", "conf").resolve(podTemplate.substring(inImage.length()));
        assertTrue(Files.isRegularFile(shipped), "the pod template is in the repository: " + shipped);
        String pod = Files.readString(shipped);
        assertTrue(pod.contains("kind: Pod") && pod.contains("name: spark-kubernetes-executor"), pod);
        assertTrue(dockerfile.contains("COPY jobs/target/spark-cnn-pipeline-jobs-0.1.0-spark-cuda.jar "),
                "the image carries the -Pcuda jar");
        assertTrue(Files.readString(Path.of("pom.xml"))
                        .contains("<shade.classifier>${spark.jar.classifier}-cuda</shade.classifier>")
                        && Files.readString(Path.of("..", "pom.xml"))
                        .contains("<spark.jar.classifier>spark</spark.jar.classifier>"),
                "-Pcuda on the default Spark line builds the jar the image recipe copies");
        assertTrue("nvidia.com".equals(p.getProperty("spark.executor.resource.gpu.vendor", "").trim()),
                "Kubernetes needs the GPU vendor to request nvidia.com/gpu");
    }
}
