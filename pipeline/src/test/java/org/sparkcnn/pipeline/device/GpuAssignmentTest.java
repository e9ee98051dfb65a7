package org.sparkcnn.pipeline.device;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.testing.LocalSpark;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GpuAssignmentTest {

    private static Map<String, ResourceInformation> gpus(String... addresses) {
        return Map.of(GpuAssignment.GPU, new ResourceInformation(GpuAssignment.GPU, addresses));
    }

    @ParameterizedTest(name = "address {0}, CUDA_VISIBLE_DEVICES={1}: ordinal {2}")
    @CsvSource(value = {"0, null, 0", "3, null, 3", "3, '2,3', 1", "2, '2,3', 0", "0, '1,0', 1", "1, ' 0 , 1 ', 1",
            "GPU-5e2b, 'GPU-aa01,GPU-5e2b', 1", "MIG-7c1d, MIG-7c1d, 0"}, nullValues = "null")
    void theOrdinalIsTheAddressOrItsPlaceInCudaVisibleDevices(String address, String visible, int ordinal) {
        GpuAssignment gpu = GpuAssignment.of(gpus(address), visible);
        assertEquals(address, gpu.address());
        assertEquals(ordinal, gpu.ordinal());
        assertEquals("", gpu.note());
    }

    @Test
    void withSeveralGpusTheFirstIsUsedAndTheNoteSaysSo() {
        GpuAssignment gpu = GpuAssignment.of(gpus("1", "0"), null);
        assertEquals(1, gpu.ordinal());
        assertEquals(List.of("1", "0"), gpu.addresses());
        assertEquals("this task was given GPUs 1, 0 and trains on 1 only (one GPU per worker); set "
                + "spark.task.resource.gpu.amount=1 to give the others to other workers", gpu.note());
    }

    @Test
    void aTaskWithoutAGpuUnderCudaIsASetupErrorNamingTheSetting() {
        for (Map<String, ResourceInformation> none : List.of(Map.<String, ResourceInformation>of(), gpus(),
                Map.of("fpga", new ResourceInformation("fpga", new String[] {"0"})))) {
            GpuUnusableException e = assertThrows(GpuUnusableException.class, () -> GpuAssignment.of(none, null));
            assertInstanceOf(BadInputException.class, e);   // exit 2
            assertTrue(e.getMessage().startsWith("this task was given no GPU, but this build runs ND4J on CUDA: set "
                    + "spark.task.resource.gpu.amount"), e.getMessage());
        }
    }

    @Test
    void anAddressCudaCannotSeeIsRefusedWithTheVariable() {
        String m = assertThrows(GpuUnusableException.class, () -> GpuAssignment.of(gpus("1"), "0")).getMessage();
        assertTrue(m.startsWith("Spark gave this task GPU 1, which is not among CUDA_VISIBLE_DEVICES=0 on this "
                + "executor"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", " "})
    void cudaVisibleDevicesThatHidesEveryGpuIsRefused(String visible) {
        String m = assertThrows(GpuUnusableException.class, () -> GpuAssignment.of(gpus("0"), visible)).getMessage();
        assertTrue(m.startsWith("CUDA_VISIBLE_DEVICES='" + visible + "' on this executor hides every GPU"), m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GPU-5e2b", "gpu0", "-1", "12345"})
    void anAddressThatIsNoDeviceNumberNeedsCudaVisibleDevices(String address) {
        String m = assertThrows(GpuUnusableException.class, () -> GpuAssignment.of(gpus(address), null)).getMessage();
        assertTrue(m.startsWith("Spark gave this task GPU address '" + address + "', which is not a CUDA device "
                + "number"), m);
    }

    @Test
    void outsideATaskThereIsNoAssignment() {
        assertThrows(IllegalStateException.class, GpuAssignment::ofTask);
    }

    /** Spark's local master gives tasks no GPU (a job asking for one waits forever): no assignment, no error. */
    @Test
    void aLocalMastersTasksHaveNoAssignment() {
        SparkSession spark = LocalSpark.start("GpuAssignmentTest");
        try {
            List<Boolean> present = new JavaSparkContext(spark.sparkContext()).parallelize(List.of(1, 2), 2)
                    .map(i -> GpuAssignment.ofTask().isPresent() || DeviceBinding.bindTask().isPresent()).collect();
            assertEquals(List.of(false, false), present);
        } finally {
            spark.stop();
        }
    }
}
