package org.sparkcnn.pipeline.device;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuSchedulingConfTest {
    private static SparkConf conf(String master, String amount) {
        SparkConf c = new SparkConf(false).setMaster(master);
        return amount == null ? c : c.set(GpuSchedulingConf.TASK_GPU_AMOUNT, amount);
    }

    @Test
    void aLocalMasterAskedForGpusWouldWaitForeverAndIsRefused() {
        String m = assertThrows(GpuUnusableException.class, () -> GpuSchedulingConf.check(conf("local[2]", "1")))
                .getMessage();
        assertTrue(m.startsWith("spark.task.resource.gpu.amount=1 with master local[2]: Spark's local master gives "
                + "tasks no GPU, so this job would wait forever for one"), m);
        assertDoesNotThrow(() -> GpuSchedulingConf.check(conf("local[2]", null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yarn", "spark://host:7077", "local-cluster[2,1,1024]", "k8s://https://k:443"})
    void aClusterMasterMustGiveTasksAGpu(String master) {
        String m = assertThrows(GpuUnusableException.class, () -> GpuSchedulingConf.check(conf(master, null)))
                .getMessage();
        assertTrue(m.startsWith("this build runs ND4J on CUDA, but spark.task.resource.gpu.amount is not set"), m);
        assertDoesNotThrow(() -> GpuSchedulingConf.check(conf(master, "0.5")));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 1", "0.5, 2", "0.25, 4", "0.3, 3", "0.1, 10"})
    void workersShareAGpuByTheInverseOfTheirAmount(String amount, int workers) {
        assertEquals(workers, GpuSchedulingConf.workersPerGpu(conf("yarn", amount)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "one", "NaN", "Infinity"})
    void anAmountThatIsNoPositiveNumberIsNamed(String amount) {
        String m = assertThrows(GpuUnusableException.class, () -> GpuSchedulingConf.check(conf("yarn", amount)))
                .getMessage();
        assertTrue(m.startsWith("spark.task.resource.gpu.amount=" + amount + " is not a positive number"), m);
    }
}
