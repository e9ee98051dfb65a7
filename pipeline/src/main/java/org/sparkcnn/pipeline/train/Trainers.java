package org.sparkcnn.pipeline.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.train.averaging.SparkAveragingTrainer;
import org.sparkcnn.pipeline.train.distributed.DistributedTrainer;
import org.sparkcnn.pipeline.train.distributed.WorkerHook;
import org.sparkcnn.pipeline.train.dl4jspark.Dl4jSparkTrainer;

import java.io.PrintStream;
import java.util.List;

/** Picks the {@link DistributedTrainer} that {@code train.trainer} names. */
public final class Trainers {
    private Trainers() {}

    /** The trainer {@code train.trainer} names, starting from {@code network}. */
    public static DistributedTrainer create(JavaSparkContext sc, Network network, TrainConfig train, long seed,
                                            String runId, PrintStream out, List<WorkerHook> hooks) {
        return switch (train.trainer()) {
            case SPARK_AVERAGING -> new SparkAveragingTrainer(sc, network, train, seed, runId, out, hooks);
            case DL4J_SPARK -> new Dl4jSparkTrainer(sc, network, train, seed, runId, out, hooks);
        };
    }
}
