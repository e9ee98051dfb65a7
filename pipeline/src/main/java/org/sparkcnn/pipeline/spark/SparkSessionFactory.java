package org.sparkcnn.pipeline.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.sparkcnn.pipeline.config.BuildLine;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.error.InvalidConfigException;

import java.util.Map;

/**
 * Builds the job's SparkSession. The master comes from spark-submit (or {@code spark.master} in the config);
 * only when neither sets one does it fall back to {@code local[*]}. Refuses a Spark or Scala this build was not
 * compiled for ({@link BuildLine}). Always sets Kryo with our registrator (the same on both Spark lines), and
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
        conf.setIfMissing("spark.kryo.registrator", PipelineKryoRegistrator.class.getName());
        checkRegistrators(conf.get("spark.kryo.registrator"));
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
        checkRuntime();
        NativeBackend.configure();
        return SparkSession.builder().config(sparkConf(config, appName)).getOrCreate();
    }

    /** ND4J's Kryo registrator, which settings written for earlier versions of this project name. */
    static final String ND4J_REGISTRATOR = "org.nd4j.kryo.Nd4jRegistrator";

    /**
     * Refuses {@code spark.kryo.registrator} naming ND4J's registrator where this build lacks it (the Spark 4 build:
     * it ships inside dl4j-spark's Scala 2.12 jar), instead of Spark failing to start with a ClassNotFoundException.
     */
    static void checkRegistrators(String registrators) {
        for (String name : registrators.split(",")) {
            if (name.trim().equals(ND4J_REGISTRATOR) && !loadable(ND4J_REGISTRATOR)) {
                throw new InvalidConfigException("spark.kryo.registrator", "names " + ND4J_REGISTRATOR + ", which "
                        + "this build (" + BuildLine.current().describe() + ") does not have: it ships in dl4j-spark, "
                        + "built for Scala 2.12 only, and " + PipelineKryoRegistrator.class.getName() + " replaces it on "
                        + "both Spark lines; set spark.kryo.registrator=" + PipelineKryoRegistrator.class.getName()
                        + " or leave it unset");
            }
        }
    }

    private static boolean loadable(String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            Class.forName(className, false, loader != null ? loader : SparkSessionFactory.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The Spark and Scala on the classpath against the line this build was compiled for ({@link BuildLine}). */
    public static void checkRuntime() {
        BuildLine.current().checkRuntime(org.apache.spark.package$.MODULE$.SPARK_VERSION(),
                scala.util.Properties$.MODULE$.versionNumberString());
    }
}
