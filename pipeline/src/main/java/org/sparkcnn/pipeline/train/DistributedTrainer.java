package org.sparkcnn.pipeline.train;

import org.sparkcnn.pipeline.model.Network;
import org.apache.spark.api.java.JavaRDD;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

/**
 * Our seam over distributed training: one epoch of synchronous data-parallel training over an RDD of
 * minibatches, plus distributed evaluation. The implementation behind it (today DL4J's
 * {@code ParameterAveragingTrainingMaster}) is ours to replace without touching the jobs.
 */
public interface DistributedTrainer extends AutoCloseable {

    /** Trains one pass over {@code minibatches}; returns what the workers reported. */
    default EpochFit fitEpoch(JavaRDD<DataSet> minibatches, int epoch) {
        return fitEpoch(minibatches, epoch, 0, RoundCallback.NONE);
    }

    /**
     * Trains the epoch's averaging rounds from {@code startRound} (0-based; earlier rounds were done before a
     * resume), calling {@code callback} after each; the counts cover the rounds run here.
     */
    EpochFit fitEpoch(JavaRDD<DataSet> minibatches, int epoch, int startRound, RoundCallback callback);

    /** The current (averaged) network on the driver. */
    Network network();

    /** Distributed classification metrics and mean loss; {@code topN} > 1 also tracks top-N accuracy. */
    EvaluationPass evaluate(JavaRDD<DataSet> data, List<String> labels, int topN);

    /** Releases driver-side resources (listeners). */
    @Override
    void close();
}
