package org.sparkcnn.pipeline.train.averaging;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparkcnn.pipeline.config.PipelineConfig.Exchange;
import org.sparkcnn.pipeline.error.InvalidConfigException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExchangeChoiceTest {
    private static final long MIB = 1L << 20;

    private static SparkConf conf(String master, String... pairs) {
        SparkConf c = new SparkConf(false).set("spark.master", master);
        for (int i = 0; i < pairs.length; i += 2) {
            c.set(pairs[i], pairs[i + 1]);
        }
        return c;
    }

    @ParameterizedTest
    @CsvSource({"'local[2]', 2, true", "'local[4]', 2, true", "'local[2]', 3, false", "'local[2,3]', 2, true",
            "'local-cluster[2,1,1024]', 2, false", "yarn, 2, false"})
    void autoPicksBarrierOnlyForALocalMasterWithASlotPerWorker(String master, int workers, boolean barrier) {
        assertEquals(barrier, ExchangeChoice.barrier(Exchange.AUTO, conf(master), workers, MIB));
    }

    @Test
    void autoCountsTaskCpusAndAvoidsDynamicAllocation() {
        assertFalse(ExchangeChoice.barrier(Exchange.AUTO, conf("local[4]", "spark.task.cpus", "2"), 4, MIB));
        assertTrue(ExchangeChoice.barrier(Exchange.AUTO, conf("local[4]", "spark.task.cpus", "2"), 2, MIB));
        assertFalse(ExchangeChoice.barrier(Exchange.AUTO,
                conf("local[4]", "spark.dynamicAllocation.enabled", "true"), 2, MIB));
    }

    @Test
    void jobPerRoundIsAlwaysPossible() {
        assertFalse(ExchangeChoice.barrier(Exchange.JOB_PER_ROUND, conf("local[8]"), 2, MIB));
    }

    @Test
    void barrierThatCannotRunNamesTheKeyToChange() {
        InvalidConfigException slots = assertThrows(InvalidConfigException.class,
                () -> ExchangeChoice.barrier(Exchange.BARRIER, conf("local[2]"), 3, MIB));
        assertEquals("train.workers", slots.key());
        assertTrue(slots.getMessage().contains("at most 2"), slots.getMessage());

        InvalidConfigException dynamic = assertThrows(InvalidConfigException.class, () -> ExchangeChoice.barrier(
                Exchange.BARRIER, conf("yarn", "spark.dynamicAllocation.enabled", "true"), 2, MIB));
        assertEquals("train.exchange", dynamic.key());
        assertTrue(dynamic.getMessage().contains("spark.dynamicAllocation.enabled"), dynamic.getMessage());

        // 2 x 40 MiB x 2 workers + 1 MiB > 128 MiB: the report limit, with the value to raise it to
        InvalidConfigException rpc = assertThrows(InvalidConfigException.class,
                () -> ExchangeChoice.barrier(Exchange.BARRIER, conf("yarn"), 2, 40 * MIB));
        assertEquals("train.exchange", rpc.key());
        assertTrue(rpc.getMessage().contains("spark.rpc.message.maxSize to at least 162"), rpc.getMessage());
        assertTrue(ExchangeChoice.barrier(Exchange.BARRIER, conf("yarn", "spark.rpc.message.maxSize", "256"), 2, 40 * MIB));
        // in the driver's JVM nothing is serialised: no message limit
        assertTrue(ExchangeChoice.barrier(Exchange.BARRIER, conf("local[2]"), 2, 400 * MIB));
    }
}
