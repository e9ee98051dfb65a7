package org.sparkcnn.pipeline.config;

import org.sparkcnn.pipeline.config.PipelineConfig.Trainer;
import org.sparkcnn.pipeline.error.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Properties;

/**
 * The Spark line this build was compiled for: Spark 3.5 / Scala 2.12 (the default build) or Spark 4 / Scala 2.13
 * ({@code mvn -Pspark4}), read from {@code build-line.properties}, which Maven fills in. It says which trainers the
 * build has (dl4j-spark's only on 3.5: it exists for Scala 2.12 only) and refuses a Spark or Scala at run time that
 * the build was not compiled for, before anything fails on a missing method.
 *
 * @param line               {@code 3.5} or {@code 4}
 * @param sparkVersion       the Spark version compiled against, e.g. {@code 3.5.9}
 * @param scalaBinaryVersion {@code 2.12} or {@code 2.13}
 * @param dl4jSparkTrainer   whether {@code train.trainer = dl4j-spark} is built in
 */
public record BuildLine(String line, String sparkVersion, String scalaBinaryVersion, boolean dl4jSparkTrainer) {
    private static final String RESOURCE = "/org/sparkcnn/pipeline/build-line.properties";
    private static final BuildLine CURRENT = load();

    public static BuildLine current() {
        return CURRENT;
    }

    /** Whether {@code trainer} is built into this line. */
    public boolean has(Trainer trainer) {
        return trainer != Trainer.DL4J_SPARK || dl4jSparkTrainer;
    }

    /** What to say when {@code train.trainer} names a trainer this build does not have. */
    public String missingTrainer(Trainer trainer) {
        return "train.trainer = " + trainer.name().toLowerCase(Locale.ROOT).replace('_', '-') + " is not in this "
                + "build (" + describe() + "): dl4j-spark exists for Scala 2.12 only, so only the Spark 3.5 build "
                + "has it; set train.trainer = spark-averaging (the default, same parameter averaging), or run the "
                + "Spark 3.5 build's jar (spark-cnn-pipeline-jobs-<version>-spark.jar)";
    }

    /** e.g. {@code Spark 3.5.9 / Scala 2.12}. */
    public String describe() {
        return "Spark " + sparkVersion + " / Scala " + scalaBinaryVersion;
    }

    /**
     * Refuses a runtime this build was not compiled for: another Scala binary version, or another Spark line
     * (a 3.x build on Spark 4 or the other way round). Minor Spark versions within a line are accepted.
     */
    public void checkRuntime(String runtimeSparkVersion, String runtimeScalaVersion) {
        boolean scalaMatches = runtimeScalaVersion.equals(scalaBinaryVersion)
                || runtimeScalaVersion.startsWith(scalaBinaryVersion + ".");
        boolean sparkMatches = lineOf(runtimeSparkVersion).equals(line);
        if (!scalaMatches || !sparkMatches) {
            throw new BadInputException("this jar is built for " + describe() + ", but it runs on Spark "
                    + runtimeSparkVersion + " / Scala " + runtimeScalaVersion + "; use the build for that line ("
                    + (lineOf(runtimeSparkVersion).equals("4") ? "mvn -Pspark4 package: "
                    + "spark-cnn-pipeline-jobs-<version>-spark4.jar" : "mvn package: "
                    + "spark-cnn-pipeline-jobs-<version>-spark.jar") + ")");
        }
    }

    /** {@code 3.5.9 -> 3.5}, {@code 4.2.0 -> 4}: the lines this project builds for. */
    static String lineOf(String sparkVersion) {
        String[] parts = sparkVersion.split("[.-]");
        return parts[0].equals("3") && parts.length > 1 ? "3." + parts[1] : parts[0];
    }

    private static BuildLine load() {
        try (InputStream in = BuildLine.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath: the jar was not built "
                        + "by Maven (its resources-filtered directory)");
            }
            Properties p = new Properties();
            p.load(in);
            return new BuildLine(required(p, "spark.line"), required(p, "spark.version"),
                    required(p, "scala.binary.version"), Boolean.parseBoolean(required(p, "trainer.dl4j-spark")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank() || v.startsWith("${")) {
            throw new IllegalStateException(RESOURCE + " has no value for " + key);
        }
        return v.trim();
    }
}
