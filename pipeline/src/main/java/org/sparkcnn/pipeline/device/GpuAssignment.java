package org.sparkcnn.pipeline.device;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.sparkcnn.pipeline.spark.LocalMaster;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The GPU a Spark task trains on: the address Spark's scheduler gave it ({@code TaskContext.resources()}, resource
 * {@code gpu}, as the executor's discovery script printed it, normally nvidia-smi's index) and the CUDA device
 * ordinal ND4J must bind to. The two differ when {@code CUDA_VISIBLE_DEVICES} is set: CUDA then numbers only the
 * listed devices, from 0, in the listed order, so the ordinal is the address's position in that list (a container
 * runtime or YARN may set it).
 *
 * <p>A local master ({@code local[N]}) never gives a task a GPU: Spark 3.5 offers no resources to its in-driver
 * executor, and a job whose tasks ask for {@code spark.task.resource.gpu.amount} there waits forever (tried: 40 s
 * with no task started). There ND4J places threads on the GPUs it sees by itself.
 *
 * @param address   the address Spark gave the task, e.g. "1"
 * @param ordinal   the CUDA device ordinal for ND4J ({@code AffinityManager.unsafeSetDevice})
 * @param addresses every GPU address the task was given, in Spark's order (the first is used)
 */
public record GpuAssignment(String address, int ordinal, List<String> addresses) implements Serializable {
    /** Spark's resource name for GPUs ({@code spark.task.resource.gpu.amount}). */
    public static final String GPU = "gpu";
    public static final String CUDA_VISIBLE_DEVICES = "CUDA_VISIBLE_DEVICES";

    public GpuAssignment {
        addresses = List.copyOf(addresses);
    }

    /**
     * The GPU of the running Spark task, with this executor's {@code CUDA_VISIBLE_DEVICES}; empty under a local
     * master, which gives tasks no GPU (see above).
     *
     * @throws IllegalStateException outside a Spark task
     * @throws GpuUnusableException  as {@link #of}
     */
    public static Optional<GpuAssignment> ofTask() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            throw new IllegalStateException("GpuAssignment.ofTask() runs inside a Spark task only");
        }
        if (LocalMaster.inDriverJvm(SparkEnv.get().conf().get("spark.master", ""))) {
            return Optional.empty();
        }
        return Optional.of(of(task.resourcesJMap(), System.getenv(CUDA_VISIBLE_DEVICES)));
    }

    /**
     * The GPU among {@code resources} (a task's {@code TaskContext.resources()}), mapped through
     * {@code cudaVisibleDevices} (null when unset) to a CUDA ordinal.
     *
     * @throws GpuUnusableException when the task was given no GPU, or its address is not a device CUDA can see
     */
    public static GpuAssignment of(Map<String, ResourceInformation> resources, String cudaVisibleDevices) {
        ResourceInformation gpu = resources.get(GPU);
        List<String> addresses = gpu == null ? List.of() : Arrays.asList(gpu.addresses());
        if (addresses.isEmpty()) {
            throw new GpuUnusableException("this task was given no GPU, but this build runs ND4J on CUDA: set "
                    + "spark.task.resource.gpu.amount (1, or 0.5 for two workers per GPU) with "
                    + "spark.executor.resource.gpu.amount and spark.executor.resource.gpu.discoveryScript (Spark's "
                    + "examples/src/main/scripts/getGpusResources.sh), or run the CPU build (built without -Pcuda). (A local[N] master needs none of these: it cannot give tasks "
                    + "GPUs, and its jobs wait forever when they ask for one)");
        }
        String address = addresses.get(0).trim();
        return new GpuAssignment(address, ordinal(address, cudaVisibleDevices), addresses);
    }

    /** A line for the executor's log when the task was given more GPUs than it uses; empty otherwise. */
    public String note() {
        if (addresses.size() < 2) {
            return "";
        }
        return "this task was given GPUs " + String.join(", ", addresses) + " and trains on " + address
                + " only (one GPU per worker); set spark.task.resource.gpu.amount=1 to give the others to other "
                + "workers";
    }

    private static int ordinal(String address, String cudaVisibleDevices) {
        if (cudaVisibleDevices == null) {
            return parseOrdinal(address);
        }
        List<String> visible = Arrays.stream(cudaVisibleDevices.split(",", -1)).map(String::trim).toList();
        int at = visible.indexOf(address);
        if (visible.get(0).isEmpty() || visible.get(0).equals("-1")) {
            throw new GpuUnusableException("CUDA_VISIBLE_DEVICES='" + cudaVisibleDevices + "' on this executor hides "
                    + "every GPU from CUDA, but Spark gave this task GPU " + address + "; unset CUDA_VISIBLE_DEVICES "
                    + "in the executor's environment (spark.executorEnv.CUDA_VISIBLE_DEVICES) or list the GPUs in it");
        }
        if (at < 0) {
            throw new GpuUnusableException("Spark gave this task GPU " + address + ", which is not among "
                    + "CUDA_VISIBLE_DEVICES=" + cudaVisibleDevices + " on this executor, so CUDA cannot reach it; make "
                    + "spark.executor.resource.gpu.discoveryScript print the ids CUDA_VISIBLE_DEVICES lists, or "
                    + "unset CUDA_VISIBLE_DEVICES");
        }
        return at;
    }

    private static int parseOrdinal(String address) {
        if (!address.isEmpty() && address.length() <= 4 && address.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Integer.parseInt(address);
        }
        throw new GpuUnusableException("Spark gave this task GPU address '" + address + "', which is not a CUDA "
                + "device number (0, 1, ...), and CUDA_VISIBLE_DEVICES is not set to map it to one; make "
                + "spark.executor.resource.gpu.discoveryScript print nvidia-smi's GPU indices");
    }
}
