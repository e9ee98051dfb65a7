package org.sparkcnn.pipeline.device;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** How many workers one GPU's memory check counts, and that the CPU build checks nothing. */
class GpuChecksTest {

    @Test
    void aLocalMasterPutsEveryWorkerOnTheGpusItSeesAClusterSplitsByTheTasksAmount() {
        assertEquals(4, GpuChecks.workersPerGpu(new SparkConf().set("spark.master", "local[4]"), 4));
        assertEquals(2, GpuChecks.workersPerGpu(new SparkConf().set("spark.master", "yarn")
                .set(GpuSchedulingConf.TASK_GPU_AMOUNT, "0.5"), 8));
        assertEquals(1, GpuChecks.workersPerGpu(new SparkConf().set("spark.master", "spark://h:7077")
                .set(GpuSchedulingConf.TASK_GPU_AMOUNT, "1"), 8));
    }

    @Test
    void theCpuBuildRunsNoGpuCheck() {
        assertFalse(CudaBackend.selected(), "this build runs ND4J on the CPU");
        // no SparkContext is needed: on the CPU build both checks return before touching it
        GpuChecks.beforeNd4j(null, System.out);
        GpuChecks.memory(null, Long.MAX_VALUE, 8, System.out);
    }
}
