package org.sparkcnn.pipeline.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.sparkcnn.pipeline.config.PipelineConfig;

import java.util.Map;

/**
 * Builds the job's SparkSession. The master comes from spark-submit (or {@code spark.master} in the config);
 * only when neither sets one does it fall back to {@code local[*]}. Always sets Kryo with ND4J's registrator, and
 * the {@link NativeBackendPlugin} that makes executors load this build's ND4J natives (oneDNN on the CPU). A
 * local master also gets local defaults (loopback addresses, no UI; in-JVM executors: uncompressed broadcasts in
 * 1 MiB blocks).
 */
public final class SparkSessionFactory {
    public static final String LOCAL_DEFAULT_MASTER = "local[*]";

    private SparkSessionFactory() {}

    /** The SparkConf the job would use, without starting anything. */
    public static SparkConf sparkConf(PipelineConfig config, String appName) {
        SparkConf conf = new SparkConf(true).setAppName(appName);
        for (Map.Entry<String, String> e : config.sparkConf().entrySet()) {
            conf.set(e.getKey(), e.getValue());
        }
        if (!conf.contains("spark.master")) {
            conf.setMaster(LOCAL_DEFAULT_MASTER);
        }
        conf.setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
        conf.setIfMissing("spark.kryo.registrator",
                "org.nd4j.kryo.Nd4jRegistrator," + PipelineKryoRegistrator.class.getName());
        String plugins = conf.get("spark.plugins", "");
        if (!plugins.contains(NativeBackendPlugin.class.getName())) {
            conf.set("spark.plugins", plugins.isBlank() ? NativeBackendPlugin.class.getName()
                    : plugins + "," + NativeBackendPlugin.class.getName());
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
            conf.setIfMissing("spark.ui.enabled", "false");
            conf.setIfMissing("spark.sql.shuffle.partitions", "4");
        }
        String master = conf.get("spark.master");
        if (LocalMaster.inDriverJvm(master)) {
            // Every averaging round broadcasts the model and a task binary. With the executor in the driver's JVM
            // their serialised blocks are never fetched (tasks read the driver's value), so compressing them is
            // pure cost, and 4 MiB chunks put a large heap allocation per broadcast (G1 humongous regions).
            // local-cluster[...] has executor JVMs that fetch them, and keeps Spark's defaults.
            conf.setIfMissing("spark.broadcast.compress", "false");
            conf.setIfMissing("spark.broadcast.blockSize", "1m");
        }
        return conf;
    }

    public static SparkSession create(PipelineConfig config, String appName) {
        NativeBackend.configure();
        return SparkSession.builder().config(sparkConf(config, appName)).getOrCreate();
    }
}
