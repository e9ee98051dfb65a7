package org.sparkcnn.pipeline.device;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.List;

/**
 * Run by {@link GpuAssignmentClusterIT} in a JVM of its own: a {@code local-cluster[1,2,1024]} master whose worker
 * discovers GPUs with the script {@code args[0]}, executors with {@code CUDA_VISIBLE_DEVICES=args[1]} and the JVM
 * options {@code args[2]}, one GPU per task; prints {@code ASSIGNED <task> <address> <ordinal> <note>} per task.
 */
public final class LocalClusterGpuMain {
    private LocalClusterGpuMain() {}

    public static void main(String[] args) {
        SparkConf conf = new SparkConf().setMaster("local-cluster[1,2,1024]").setAppName("LocalClusterGpuMain")
                .set("spark.ui.enabled", "false")
                .set("spark.worker.resource.gpu.amount", "2")
                .set("spark.worker.resource.gpu.discoveryScript", args[0])
                .set("spark.executor.resource.gpu.amount", "2")
                .set("spark.task.resource.gpu.amount", "1")
                .set("spark.executorEnv." + GpuAssignment.CUDA_VISIBLE_DEVICES, args[1])
                .set("spark.executor.extraJavaOptions", args[2])
                // the executor's launch command is built as Spark's own tests build it (no Spark distribution here)
                .set("spark.executorEnv.SPARK_TESTING", "1")
                .set("spark.executorEnv.SPARK_SCALA_VERSION", "2.12");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            List<String> lines = sc.parallelize(List.of(0, 1, 2, 3), 4).map(i -> {
                GpuAssignment gpu = GpuAssignment.ofTask().orElseThrow();
                Thread.sleep(300);   // let two tasks hold both GPUs at once
                return "ASSIGNED " + i + " " + gpu.address() + " " + gpu.ordinal() + " " + gpu.note();
            }).collect();
            lines.forEach(System.out::println);
        }
    }
}
