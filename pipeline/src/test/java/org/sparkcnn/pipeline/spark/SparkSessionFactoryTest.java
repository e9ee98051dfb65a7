package org.sparkcnn.pipeline.spark;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparkcnn.pipeline.config.ConfigLoader;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
