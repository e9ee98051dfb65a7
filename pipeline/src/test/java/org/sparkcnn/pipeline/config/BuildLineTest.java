package org.sparkcnn.pipeline.config;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.error.InvalidConfigException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The build's Spark line, read from what Maven filled in, against the Spark and Scala on the test classpath. */
class BuildLineTest {
    private static final String SPARK = org.apache.spark.package$.MODULE$.SPARK_VERSION();
    private static final String SCALA = scala.util.Properties$.MODULE$.versionNumberString();

    @Test
    void theBuildLineIsTheSparkAndScalaItWasCompiledAndTestedWith() {
        BuildLine line = BuildLine.current();
        assertEquals(SPARK, line.sparkVersion());
        assertTrue(SCALA.startsWith(line.scalaBinaryVersion() + "."), SCALA + " vs " + line.scalaBinaryVersion());
        assertEquals(line.line().equals("3.5") ? "2.12" : "2.13", line.scalaBinaryVersion());
        assertEquals(line.line().equals("3.5"), line.dl4jSparkTrainer(), "dl4j-spark is in the Spark 3.5 build only");
        line.checkRuntime(SPARK, SCALA);
    }

    @Test
    void theClasspathMixesNoOtherScalaBinaryVersion() {
        String own = "_" + BuildLine.current().scalaBinaryVersion();
        List<String> jars = java.util.Arrays.stream(System.getProperty("java.class.path")
                        .split(java.io.File.pathSeparator))
                .map(entry -> java.nio.file.Path.of(entry).getFileName().toString())
                .toList();
        assertTrue(jars.contains("spark-core" + own + "-" + BuildLine.current().sparkVersion() + ".jar"),
                "the test classpath is the build's: " + jars.size() + " entries");
        List<String> foreign = jars.stream()
                .filter(name -> name.matches(".*_2\\.1[0-9]-.*\\.jar") && !name.contains(own + "-"))
                .toList();
        assertEquals(List.of(), foreign, "artifacts of another Scala than " + own);
    }

    @Test
    void lines() {
        assertEquals("3.5", BuildLine.lineOf("3.5.9"));
        assertEquals("3.4", BuildLine.lineOf("3.4.1"));
        assertEquals("4", BuildLine.lineOf("4.2.0"));
        assertEquals("4", BuildLine.lineOf("4.0.0-preview2"));
    }

    @Test
    void anotherLineOrScalaIsRefusedNamingTheJarToUse() {
        BuildLine spark35 = new BuildLine("3.5", "3.5.9", "2.12", true);
        spark35.checkRuntime("3.5.1", "2.12.18");
        BadInputException onSpark4 = assertThrows(BadInputException.class, () -> spark35.checkRuntime("4.2.0", "2.13.18"));
        assertTrue(onSpark4.getMessage().contains("built for Spark 3.5.9 / Scala 2.12")
                && onSpark4.getMessage().contains("Spark 4.2.0 / Scala 2.13.18")
                && onSpark4.getMessage().contains("-Pspark4") && onSpark4.getMessage().contains("-spark4.jar"),
                onSpark4.getMessage());
        assertThrows(BadInputException.class, () -> spark35.checkRuntime("3.5.9", "2.13.18"));
        assertThrows(BadInputException.class, () -> spark35.checkRuntime("3.4.1", "2.12.18"));

        BuildLine spark4 = new BuildLine("4", "4.2.0", "2.13", false);
        spark4.checkRuntime("4.0.1", "2.13.16");
        BadInputException on35 = assertThrows(BadInputException.class, () -> spark4.checkRuntime("3.5.9", "2.12.18"));
        assertTrue(on35.getMessage().contains("-spark.jar"), on35.getMessage());
    }

    @Test
    void dl4jSparkIsAcceptedExactlyWhereTheBuildHasIt() {
        List<String> keys = List.of("train.trainer=dl4j-spark", "train.exchange=job-per-round");
        if (BuildLine.current().dl4jSparkTrainer()) {
            assertEquals(PipelineConfig.Trainer.DL4J_SPARK, ConfigLoader.load(null, keys).train().trainer());
        } else {
            InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(null, keys));
            assertEquals("train.trainer", e.key());
            assertTrue(e.getMessage().contains("Scala 2.12") && e.getMessage().contains("spark-averaging")
                    && e.getMessage().contains(BuildLine.current().describe()), e.getMessage());
        }
        assertFalse(new BuildLine("4", "4.2.0", "2.13", false).has(PipelineConfig.Trainer.DL4J_SPARK));
        assertTrue(new BuildLine("4", "4.2.0", "2.13", false).has(PipelineConfig.Trainer.SPARK_AVERAGING));
    }
}
