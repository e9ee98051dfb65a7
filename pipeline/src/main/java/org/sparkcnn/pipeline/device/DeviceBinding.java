package org.sparkcnn.pipeline.device;

import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Optional;

/**
 * Binds the thread running a Spark task to the GPU Spark gave the task, so that ND4J allocates and computes there.
 * ND4J otherwise attaches each new thread to a device of its own choosing (round robin), and Spark runs tasks on
 * pooled threads: two workers of one executor could share a GPU while another idles. Call it first thing in every
 * task that touches ND4J, after the executor's {@link GpuPreflight} passed: it initialises ND4J.
 */
public final class DeviceBinding {
    private DeviceBinding() {}

    /**
     * Under ND4J's CUDA backend, binds the current thread to this task's GPU ({@link GpuAssignment#ofTask}) and
     * returns it. Does nothing and returns empty on the CPU backend (ND4J is not touched) and under a local master
     * (Spark gives its tasks no GPU; ND4J spreads threads over the GPUs it sees).
     *
     * @throws GpuUnusableException when the task was given no GPU, or one CUDA cannot see
     */
    public static Optional<GpuAssignment> bindTask() {
        if (!CudaBackend.selected()) {
            return Optional.empty();
        }
        Optional<GpuAssignment> gpu = GpuAssignment.ofTask();
        gpu.ifPresent(g -> bind(g, Nd4j.getAffinityManager()));
        return gpu;
    }

    /**
     * Binds the current thread to {@code gpu}'s ordinal through ND4J's affinity manager.
     *
     * @throws GpuUnusableException when the ordinal is not below the number of devices ND4J sees
     */
    static void bind(GpuAssignment gpu, AffinityManager affinity) {
        int devices = affinity.getNumberOfDevices();
        if (gpu.ordinal() >= devices) {
            throw new GpuUnusableException("Spark gave this task GPU " + gpu.address() + " (CUDA device "
                    + gpu.ordinal() + "), but ND4J sees " + devices + " CUDA device(s) on this executor; make "
                    + "spark.executor.resource.gpu.discoveryScript list only the GPUs this executor can use, and "
                    + "check CUDA_VISIBLE_DEVICES in its environment");
        }
        affinity.unsafeSetDevice(gpu.ordinal());
    }
}
