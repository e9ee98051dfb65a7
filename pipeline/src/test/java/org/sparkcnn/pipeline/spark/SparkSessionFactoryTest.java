package org.sparkcnn.pipeline.spark;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparkcnn.pipeline.config.ConfigLoader;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparkSessionFactoryTest {

    private static SparkConf conf(String... sets) {
        return SparkSessionFactory.sparkConf(ConfigLoader.load(null, List.of(sets)), "test");
    }

    @Test
    void aLocalMasterGetsUncompressedBroadcastsInSmallBlocks() {
        SparkConf c = conf("spark.master=local[2]");
        assertEquals("false", c.get("spark.broadcast.compress"));
        assertEquals("1m", c.get("spark.broadcast.blockSize"));
        assertEquals("org.apache.spark.serializer.KryoSerializer", c.get("spark.serializer"));
        assertTrue(c.get("spark.plugins").contains(NativeBackendPlugin.class.getName()));
    }

    @Test
    void nd4jsRegistratorIsAcceptedWhereTheBuildHasItAndRefusedNamingTheKeyWhereNot() {
        String both = "spark.kryo.registrator=" + SparkSessionFactory.ND4J_REGISTRATOR + ","
                + PipelineKryoRegistrator.class.getName();
        if (org.sparkcnn.pipeline.config.BuildLine.current().dl4jSparkTrainer()) {
            assertEquals(both.substring("spark.kryo.registrator=".length()), conf(both).get("spark.kryo.registrator"),
                    "the Spark 3.5 build ships dl4j-spark, and with it ND4J's registrator");
        } else {
            var e = assertThrows(org.sparkcnn.pipeline.error.InvalidConfigException.class, () -> conf(both));
            assertEquals("spark.kryo.registrator", e.key());
            assertTrue(e.getMessage().contains("Scala 2.12") && e.getMessage().contains(
                    "set spark.kryo.registrator=" + PipelineKryoRegistrator.class.getName()), e.getMessage());
        }
        SparkSessionFactory.checkRegistrators(PipelineKryoRegistrator.class.getName() + ", com.example.Other");
    }

    @Test
    void theUsersSettingsWinOverTheLocalDefaults() {
        SparkConf c = conf("spark.master=local[2]", "spark.broadcast.compress=true", "spark.broadcast.blockSize=4m");
        assertEquals("true", c.get("spark.broadcast.compress"));
        assertEquals("4m", c.get("spark.broadcast.blockSize"));
    }

    /** Executors in their own JVMs fetch broadcast blocks: Spark's defaults stay; local-cluster is still local. */
    @ParameterizedTest
    @CsvSource({"'local-cluster[2,1,1024]', true", "spark://cluster:7077, false"})
    void mastersWithExecutorJvmsKeepSparksBroadcastDefaults(String master, boolean loopback) {
        SparkConf c = conf("spark.master=" + master);
        assertFalse(c.contains("spark.broadcast.compress"));
        assertFalse(c.contains("spark.broadcast.blockSize"));
        assertEquals(loopback, c.contains("spark.driver.host"));
    }
}
