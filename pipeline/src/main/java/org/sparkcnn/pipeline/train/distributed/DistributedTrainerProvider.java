package org.sparkcnn.pipeline.train.distributed;

import org.apache.spark.api.java.JavaSparkContext;
import org.sparkcnn.pipeline.config.PipelineConfig.Trainer;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;
import org.sparkcnn.pipeline.model.Network;

import java.io.PrintStream;
import java.util.List;

/**
 * A trainer that only some builds contain, found with {@link java.util.ServiceLoader}: the Spark 3.5 build registers
 * {@code train.dl4jspark}'s (from {@code src/main/spark-3.5}); the Spark 4 build has none, because dl4j-spark exists
 * for Scala 2.12 only. {@code config.BuildLine} says which trainers a build has, for config validation.
 */
public interface DistributedTrainerProvider {
    /** The {@code train.trainer} value this provider builds. */
    Trainer trainer();

    DistributedTrainer create(JavaSparkContext sc, Network network, TrainConfig train, long seed, String runId,
                              PrintStream out, List<WorkerHook> hooks);
}
