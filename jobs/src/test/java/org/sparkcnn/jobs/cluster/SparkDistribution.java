package org.sparkcnn.jobs.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spark "distribution" assembled from the Maven classpath: a {@code SPARK_HOME} whose {@code jars/} links Spark,
 * Hadoop's client and their dependencies (spark-yarn included), and nothing of ours, DL4J's, ND4J's or JavaCPP's:
 * those must come from the shaded application jar, as on a real cluster. Nor the Hadoop mini clusters and what
 * only they need (Jersey 1, JAXB, BouncyCastle), which a real distribution does not ship either.
 */
public final class SparkDistribution {
    /** What the application jar must bring, or a real Spark distribution does not have. */
    private static final List<String> NOT_IN_DISTRIBUTION = List.of("/org/deeplearning4j/", "/org/nd4j/",
            "/org/bytedeco/", "/org/datavec/", "/com/typesafe/config/", "/org/sparkcnn/", "/pipeline/target/",
            "/jobs/target/", "/hadoop-client-minicluster/", "/org/bouncycastle/", "/com/sun/jersey/",
            "/com/sun/xml/bind/", "/javax/xml/bind/", "/org/codehaus/jackson/", "/org/codehaus/jettison/", "/javax/ws/rs/jsr311-api/");

    private final Path home;
    private final List<String> jars;

    private SparkDistribution(Path home, List<String> jars) {
        this.home = home;
        this.jars = jars;
    }

    /**
     * Links the distribution's jars under {@code home/jars} and writes {@code home/bin/spark-submit}.
     *
     * @param mavenClasspath the jobs module's Maven classpath ({@code target/classpath.txt}, or
     *                       {@code target/test-classpath.txt} for the test dependencies too, spark-yarn among them)
     */
    public static SparkDistribution assemble(Path home, String mavenClasspath) throws IOException {
        Path jarsDir = Files.createDirectories(home.resolve("jars"));
        List<String> jars = new ArrayList<>();
        int i = 0;
        for (String entry : mavenClasspath.trim().split(File.pathSeparator)) {
            if (entry.isBlank() || !entry.endsWith(".jar") || NOT_IN_DISTRIBUTION.stream().anyMatch(entry::contains)) {
                continue;
            }
            Path link = jarsDir.resolve(String.format("%04d-%s", i++, Path.of(entry).getFileName()));
            Files.createSymbolicLink(link, Path.of(entry));
            jars.add(link.toString());
        }
        SparkDistribution dist = new SparkDistribution(home, jars);
        dist.writeSubmitScript();
        return dist;
    }

    public Path home() {
        return home;
    }

    /** The jars, one path each, for a {@code -cp}. */
    public String classpath() {
        return String.join(File.pathSeparator, jars);
    }

    /** {@code bin/spark-submit}. */
    public Path sparkSubmit() {
        return home.resolve("bin").resolve("spark-submit");
    }

    /**
     * {@code bin/spark-submit}: what Spark's own script ends up running (SparkSubmit on {@code jars/*} plus
     * {@code SPARK_CONF_DIR} and {@code HADOOP_CONF_DIR}, with Spark's Java 17 module options). SparkSubmit itself
     * reads {@code SPARK_CONF_DIR/spark-defaults.conf} unless {@code --properties-file} is given.
     */
    private void writeSubmitScript() throws IOException {
        Path script = Files.createDirectories(home.resolve("bin")).resolve("spark-submit");
        Files.writeString(script, String.join("\n",
                "#!/usr/bin/env bash",
                "# spark-submit of a test distribution assembled from the Maven classpath.",
                "set -euo pipefail",
                "SPARK_HOME=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")/..\" && pwd)\"",
                "CP=\"${SPARK_CONF_DIR:-$SPARK_HOME/conf}:$SPARK_HOME/jars/*\"",
                "if [[ -n \"${HADOOP_CONF_DIR:-}\" ]]; then CP=\"$CP:$HADOOP_CONF_DIR\"; fi",
                "exec \"${JAVA_HOME:?}/bin/java\" -Xmx${SPARK_SUBMIT_HEAP:-384m} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "
                        + String.join(" ", StandaloneCluster.JAVA_17_OPENS)
                        + " -cp \"$CP\" org.apache.spark.deploy.SparkSubmit \"$@\"",
                ""));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
