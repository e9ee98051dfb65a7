package org.sparkcnn.pipeline.device;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** On this build's CPU backend: the binding's checks against ND4J's real affinity manager, and the backend test. */
class DeviceBindingTest {

    @Test
    void theCpuBuildIsNotCudaAndTheTestFindsABackendThatIsThere() {
        assertFalse(CudaBackend.selected());
        assertTrue(CudaBackend.onClasspath("org.nd4j.linalg.cpu.nativecpu.CpuBackend"));
    }

    @Test
    void bindsAnOrdinalNd4jSeesAndRefusesOneItDoesNot() {
        AffinityManager affinity = Nd4j.getAffinityManager();
        int devices = affinity.getNumberOfDevices();
        DeviceBinding.bind(new GpuAssignment("0", 0, List.of("0")), affinity);
        assertEquals(0, affinity.getDeviceForCurrentThread());
        GpuUnusableException e = assertThrows(GpuUnusableException.class,
                () -> DeviceBinding.bind(new GpuAssignment("3", devices, List.of("3")), affinity));
        assertEquals("Spark gave this task GPU 3 (CUDA device " + devices + "), but ND4J sees " + devices + " CUDA "
                + "device(s) on this executor; make spark.executor.resource.gpu.discoveryScript list only the GPUs "
                + "this executor can use, and check CUDA_VISIBLE_DEVICES in its environment", e.getMessage());
    }
}
