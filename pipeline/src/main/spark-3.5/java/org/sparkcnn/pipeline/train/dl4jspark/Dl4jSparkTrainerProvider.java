package org.sparkcnn.pipeline.train.dl4jspark;

import org.apache.spark.api.java.JavaSparkContext;
import org.sparkcnn.pipeline.config.PipelineConfig.Trainer;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.train.distributed.DistributedTrainer;
import org.sparkcnn.pipeline.train.distributed.DistributedTrainerProvider;
import org.sparkcnn.pipeline.train.distributed.WorkerHook;

import java.io.PrintStream;
import java.util.List;

/** Registers {@link Dl4jSparkTrainer} as {@code train.trainer = dl4j-spark} (META-INF/services, Spark 3.5 build). */
public final class Dl4jSparkTrainerProvider implements DistributedTrainerProvider {
    @Override
    public Trainer trainer() {
        return Trainer.DL4J_SPARK;
    }

    @Override
    public DistributedTrainer create(JavaSparkContext sc, Network network, TrainConfig train, long seed, String runId,
                                     PrintStream out, List<WorkerHook> hooks) {
        return new Dl4jSparkTrainer(sc, network, train, seed, runId, out, hooks);
    }
}
