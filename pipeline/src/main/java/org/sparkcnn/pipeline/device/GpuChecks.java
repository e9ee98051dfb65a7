package org.sparkcnn.pipeline.device;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.sparkcnn.pipeline.spark.LocalMaster;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The GPU checks a job of the CUDA build runs from the driver, each a no-op on the CPU build:
 * {@link #beforeNd4j} before anything loads ND4J (driver or executors), so an unusable GPU is a refusal with exit 2
 * instead of a native crash, and {@link #memory} once the network's size is known. Each executor answers from a
 * task and the driver throws: a refusal thrown inside a task would reach the driver wrapped in Spark's exception.
 */
public final class GpuChecks {
    private GpuChecks() {}

    /**
     * How Spark hands out GPUs, the driver's own GPUs (ND4J builds the network there too), and every task slot's
     * GPU on the executors, without loading ND4J; prints a line per GPU checked.
     *
     * @throws GpuUnusableException naming what is wrong and what to change (exit 2)
     */
    public static void beforeNd4j(JavaSparkContext sc, PrintStream out) {
        if (!CudaBackend.selected()) {
            return;
        }
        GpuSchedulingConf.check(sc.getConf());
        GpuVerdict driver = GpuPreflight.verdict(new GpuProbe().probe(), Optional.empty(),
                Nd4jCudaCode.architectures(), 0, System.getenv(GpuAssignment.CUDA_VISIBLE_DEVICES));
        if (!driver.ok()) {
            throw new GpuUnusableException("the driver (ND4J builds and averages the network there too): "
                    + driver.line());
        }
        out.println("preflight: driver: " + driver.line());
        onExecutors(sc, 0, out);
    }

    /**
     * Whether each executor's GPU holds {@code perWorkerBytes} (a worker's parameters, updater state and minibatch
     * activations) times the workers sharing it, plus the CUDA context.
     *
     * @throws GpuUnusableException naming the GPU and what to change (exit 2)
     */
    public static void memory(JavaSparkContext sc, long perWorkerBytes, int workers, PrintStream out) {
        if (!CudaBackend.selected()) {
            return;
        }
        onExecutors(sc, perWorkerBytes * workersPerGpu(sc.getConf(), workers), out);
    }

    /**
     * Workers sharing one GPU: from the task's GPU amount on a cluster; under a local master, all of them (ND4J
     * spreads their threads over the GPUs it sees, so this bounds one GPU's share from above).
     */
    static int workersPerGpu(SparkConf conf, int workers) {
        boolean local = LocalMaster.inDriverJvm(conf.get("spark.master", ""));
        return local ? Math.max(1, workers) : GpuSchedulingConf.workersPerGpu(conf);
    }

    private static void onExecutors(JavaSparkContext sc, long bytesNeeded, PrintStream out) {
        int n = Math.max(1, sc.defaultParallelism());
        List<GpuVerdict> verdicts = sc.parallelize(IntStream.range(0, n).boxed().toList(), n)
                .map(i -> GpuPreflight.inTask(bytesNeeded))
                .filter(Optional::isPresent).map(Optional::get).collect();
        for (GpuVerdict v : verdicts) {
            v.orThrow();
        }
        for (String line : new TreeSet<>(verdicts.stream().map(GpuVerdict::line).toList())) {
            out.println("preflight: " + line);
        }
    }
}
