package org.sparkcnn.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** bin/submit's template → --conf arguments, parsed as spark-submit parses --properties-file. */
class SparkPropertiesArgsTest {

    @Test
    void everyFormOfAPropertiesLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.conf");
        Files.writeString(file, String.join("\n",
                "# a comment",
                "   ! another comment",
                "",
                "spark.master                yarn",
                "spark.submit.deployMode=cluster",
                "spark.executor.instances: 2",
                "spark.driver.memory = 640m   ",
                "spark.executor.extraJavaOptions    -XX:+UseG1GC -Dfoo=\"one two\"  -Dbar=x=y",
                "spark.yarn.tags   a,\\",
                "                  b",
                "spark.app.name\tname with spaces",
                "spark.empty",
                ""));
        assertEquals(List.of(
                "spark.app.name=name with spaces",
                "spark.driver.memory=640m",
                "spark.empty=",
                "spark.executor.extraJavaOptions=-XX:+UseG1GC -Dfoo=\"one two\"  -Dbar=x=y",
                "spark.executor.instances=2",
                "spark.master=yarn",
                "spark.submit.deployMode=cluster",
                "spark.yarn.tags=a,b"), SparkPropertiesArgs.confArgs(file));
    }
}
