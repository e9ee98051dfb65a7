package org.sparkcnn.pipeline.train.distributed;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;
import org.sparkcnn.pipeline.evaluate.EvaluationPass;
import org.sparkcnn.pipeline.input.IndexedMinibatches;
import org.sparkcnn.pipeline.model.Network;

import java.util.List;

/**
 * Our seam over distributed training: one epoch of synchronous data-parallel training over an RDD of
 * minibatches, plus distributed evaluation. Two implementations: {@code train.averaging.SparkAveragingTrainer}
 * (ours, the default) and {@code train.dl4jspark.Dl4jSparkTrainer} (DL4J's {@code ParameterAveragingTrainingMaster});
 * {@code train.trainer} picks one ({@code train.Trainers}), and the epoch loop sees only this interface.
 */
public interface DistributedTrainer extends AutoCloseable {

    /** Training workers per averaging round: {@code train.workers}, or Spark's default parallelism when 0. */
    static int workers(TrainConfig train, JavaSparkContext sc) {
        return train.workers() > 0 ? train.workers() : sc.defaultParallelism();
    }

    /** What the console shows of each averaging round; a line per round until this is called. */
    void roundConsole(RoundConsole console);

    /** Trains one pass over {@code minibatches}, in RDD order; returns what the workers reported. */
    default EpochFit fitEpoch(JavaRDD<DataSet> minibatches, int epoch) {
        try (IndexedMinibatches indexed = IndexedMinibatches.zip(minibatches, storageLevel())) {
            return fitEpoch(indexed, epoch, 0, RoundCallback.NONE);
        }
    }

    /**
     * Trains the epoch's averaging rounds from {@code startRound} (0-based; earlier rounds were done before a
     * resume), calling {@code callback} after each; the counts cover the rounds run here.
     */
    EpochFit fitEpoch(IndexedMinibatches minibatches, int epoch, int startRound, RoundCallback callback);

    /**
     * Optionally starts laying out an upcoming epoch's minibatches in the background (its shuffle's map stage), so
     * that {@link #fitEpoch(IndexedMinibatches, int, int, RoundCallback)} of the same object finds them ready.
     */
    default void prepare(IndexedMinibatches upcoming) {
    }

    /** Where {@link #fitEpoch(JavaRDD, int)} keeps minibatches it must count first ({@code train.storage-level}). */
    String storageLevel();

    /** The current (averaged) network on the driver. */
    Network network();

    /** Distributed classification metrics and mean loss; {@code topN} > 1 also tracks top-N accuracy. */
    EvaluationPass evaluate(JavaRDD<DataSet> data, List<String> labels, int topN);

    /** Releases driver-side resources. */
    @Override
    void close();
}
