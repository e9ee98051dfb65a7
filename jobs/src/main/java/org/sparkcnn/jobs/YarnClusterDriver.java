package org.sparkcnn.jobs;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.sparkcnn.pipeline.cli.PipelineCli;

import java.util.Properties;

/**
 * What {@link PipelineMain} does differently when it runs as the driver of a YARN application in cluster mode,
 * that is inside YARN's ApplicationMaster.
 *
 * <p>How it knows: the ApplicationMaster copies the submitted Spark configuration into system properties before it
 * calls {@code main}, and in cluster mode it sets {@code spark.master=yarn} and
 * {@code spark.submit.deployMode=cluster} itself. spark-submit in client mode sets {@code spark.submit.deployMode=client};
 * {@code bin/pipeline} sets neither (the master then comes from the job config, or {@code local[*]}).
 */
public final class YarnClusterDriver {
    private YarnClusterDriver() {}

    /** Whether these system properties are those of a YARN cluster-mode driver. */
    public static boolean isYarnClusterDriver(Properties systemProperties) {
        return systemProperties.getProperty("spark.master", "").startsWith("yarn")
                && "cluster".equals(systemProperties.getProperty("spark.submit.deployMode"));
    }

    /**
     * The exception to throw out of {@code main} for a failed command. When the command failed before it started a
     * SparkSession (a bad config is found before any Spark work), this first starts and stops a SparkContext with no
     * executors: the ApplicationMaster registers with YARN's ResourceManager only once a SparkContext exists, and
     * without that registration it cannot report a final status or message. YARN would then record only that the AM
     * container exited with code 13, plus the last 4 KB of its stderr, whatever the cluster's logging leaves there.
     */
    public static PipelineFailedException failure(PipelineCli.Outcome outcome) {
        PipelineFailedException failure = new PipelineFailedException(outcome.code(), outcome.message());
        if (!outcome.sparkStarted()) {
            try {
                registerWithResourceManager();
            } catch (RuntimeException | Error e) {
                failure.addSuppressed(e);
            }
        }
        return failure;
    }

    private static void registerWithResourceManager() {
        SparkConf conf = new SparkConf(true)
                .set("spark.executor.instances", "0")
                .set("spark.dynamicAllocation.enabled", "false");
        new SparkContext(conf).stop();
    }
}
