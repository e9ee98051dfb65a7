package org.sparkcnn.pipeline.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.sparkcnn.pipeline.input.IndexedMinibatches;
import org.sparkcnn.pipeline.input.TrainingData;
import org.sparkcnn.pipeline.train.distributed.DistributedTrainer;

/**
 * The training input of each epoch, made once: the epoch loop asks for the next epoch's input as soon as an epoch's
 * rounds are done, and hands it to the trainer to prepare ({@link DistributedTrainer#prepare}) while the epoch is
 * evaluated and recorded; the next epoch then trains on that same object.
 */
final class EpochInputs {
    private final TrainingData data;
    private final JavaSparkContext sc;
    private final int batchSize;
    private final long seed;
    private final int minTasks;
    private int preparedEpoch = -1;
    private IndexedMinibatches prepared;

    EpochInputs(TrainingData data, JavaSparkContext sc, int batchSize, long seed, int minTasks) {
        this.data = data;
        this.sc = sc;
        this.batchSize = batchSize;
        this.seed = seed;
        this.minTasks = minTasks;
    }

    /** Epoch {@code epoch}'s input: the one {@link #prepare} made, or a new one. */
    IndexedMinibatches of(int epoch) {
        if (epoch == preparedEpoch) {
            IndexedMinibatches input = prepared;
            prepared = null;
            preparedEpoch = -1;
            return input;
        }
        return data.indexedTrainingEpoch(sc, batchSize, seed, epoch, minTasks);
    }

    /** Makes epoch {@code epoch}'s input now and lets {@code trainer} start preparing it. */
    void prepare(int epoch, DistributedTrainer trainer) {
        prepared = data.indexedTrainingEpoch(sc, batchSize, seed, epoch, minTasks);
        preparedEpoch = epoch;
        trainer.prepare(prepared);
    }
}
