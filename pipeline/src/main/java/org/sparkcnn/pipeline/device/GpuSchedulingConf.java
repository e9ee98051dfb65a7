package org.sparkcnn.pipeline.device;

import org.apache.spark.SparkConf;
import org.sparkcnn.pipeline.spark.LocalMaster;

import java.util.Locale;

/**
 * The driver's check of how Spark will hand GPUs to training tasks under ND4J's CUDA backend, before any job:
 * a cluster master must give each task a GPU ({@code spark.task.resource.gpu.amount}), and a local master must not
 * be asked to (Spark 3.5 offers its in-driver executor no resources, so such a job never starts a task).
 */
public final class GpuSchedulingConf {
    public static final String TASK_GPU_AMOUNT = "spark.task.resource.gpu.amount";

    private GpuSchedulingConf() {}

    /**
     * Checks {@code conf}; call it on the driver when {@link CudaBackend#selected()}.
     *
     * @throws GpuUnusableException naming the setting to add or remove
     */
    public static void check(SparkConf conf) {
        String master = conf.get("spark.master", "");
        boolean local = LocalMaster.inDriverJvm(master);
        String amount = conf.get(TASK_GPU_AMOUNT, "");
        if (local && !amount.isEmpty()) {
            throw new GpuUnusableException(TASK_GPU_AMOUNT + "=" + amount + " with master " + master + ": Spark's local "
                    + "master gives tasks no GPU, so this job would wait forever for one; remove " + TASK_GPU_AMOUNT
                    + " (ND4J then spreads the workers over the GPUs CUDA sees) or use a cluster master");
        }
        if (!local && amount.isEmpty()) {
            throw new GpuUnusableException("this build runs ND4J on CUDA, but " + TASK_GPU_AMOUNT + " is not set, so "
                    + "Spark gives training tasks no GPU; set it (1, or 0.5 for two workers per GPU) with "
                    + "spark.executor.resource.gpu.amount and spark.executor.resource.gpu.discoveryScript, or run the "
                    + "CPU build (built without -Pcuda)");
        }
        if (!local) {
            workersPerGpu(conf);   // a malformed amount fails here, naming the key
        }
    }

    /**
     * How many training tasks share one GPU: {@code 1 / spark.task.resource.gpu.amount} rounded down for amounts
     * below 1, else 1 (Spark allows fractions only below 1); 1 when unset.
     *
     * @throws GpuUnusableException when the amount is not a positive number
     */
    public static int workersPerGpu(SparkConf conf) {
        String amount = conf.get(TASK_GPU_AMOUNT, "");
        if (amount.isEmpty()) {
            return 1;
        }
        double value;
        try {
            value = Double.parseDouble(amount.trim());
        } catch (NumberFormatException e) {
            value = Double.NaN;
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new GpuUnusableException(String.format(Locale.ROOT, "%s=%s is not a positive number of GPUs per "
                    + "task; write 1 (one GPU per worker) or a fraction such as 0.5 (two workers per GPU)",
                    TASK_GPU_AMOUNT, amount));
        }
        return value >= 1 ? 1 : (int) Math.floor(1 / value + 1e-9);
    }
}
