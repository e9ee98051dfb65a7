package org.sparkcnn.pipeline.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.sparkcnn.pipeline.config.BuildLine;
import org.sparkcnn.pipeline.config.PipelineConfig.Trainer;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.train.averaging.SparkAveragingTrainer;
import org.sparkcnn.pipeline.train.distributed.DistributedTrainer;
import org.sparkcnn.pipeline.train.distributed.DistributedTrainerProvider;
import org.sparkcnn.pipeline.train.distributed.WorkerHook;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Picks the {@link DistributedTrainer} that {@code train.trainer} names: our own averaging trainer, built in every
 * line, or one a {@link DistributedTrainerProvider} registers (dl4j-spark's, in the Spark 3.5 build only).
 */
public final class Trainers {
    private Trainers() {}

    /** The trainer {@code train.trainer} names, starting from {@code network}. */
    public static DistributedTrainer create(JavaSparkContext sc, Network network, TrainConfig train, long seed,
                                            String runId, PrintStream out, List<WorkerHook> hooks) {
        if (train.trainer() == Trainer.SPARK_AVERAGING) {
            return new SparkAveragingTrainer(sc, network, train, seed, runId, out, hooks);
        }
        return provider(train.trainer())
                .orElseThrow(() -> new BadInputException(BuildLine.current().missingTrainer(train.trainer())))
                .create(sc, network, train, seed, runId, out, hooks);
    }

    /** The provider registered for {@code trainer} in this build, if any. */
    public static Optional<DistributedTrainerProvider> provider(Trainer trainer) {
        for (DistributedTrainerProvider p : ServiceLoader.load(DistributedTrainerProvider.class,
                DistributedTrainerProvider.class.getClassLoader())) {
            if (p.trainer() == trainer) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
