package org.sparkcnn.pipeline.train.dl4jspark;

import org.apache.spark.util.DoubleAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.sparkcnn.pipeline.model.InPlaceUpdaters;
import org.sparkcnn.pipeline.model.OneDnnHelpers;

/**
 * Runs inside the workers around every minibatch update: before it, installs the oneDNN helpers into the worker's
 * network (idempotent); after it, counts examples and minibatches and sums the
 * minibatch losses into Spark accumulators. Spark merges accumulator updates of successful task attempts
 * only, so a retried task is counted once: the counts prove every example was used exactly once per epoch.
 */
public final class ProgressHook implements TrainingHook {
    public static final String EXAMPLES = "spark-cnn: examples fitted";
    public static final String MINIBATCHES = "spark-cnn: minibatches fitted";
    public static final String LOSS_SUM = "spark-cnn: minibatch loss sum";

    private final LongAccumulator examples;
    private final LongAccumulator minibatches;
    private final DoubleAccumulator lossSum;

    public ProgressHook(LongAccumulator examples, LongAccumulator minibatches, DoubleAccumulator lossSum) {
        this.examples = examples;
        this.minibatches = minibatches;
        this.lossSum = lossSum;
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
        // dl4j-spark's workers build their own network from the configuration: give it the oneDNN helpers and the
        // in-place updater (both idempotent)
        OneDnnHelpers.install(model);
        InPlaceUpdaters.install(model);
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        examples.add(minibatch.numExamples());
        minibatches.add(1);
        lossSum.add(model.score());
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
        OneDnnHelpers.install(model);
        InPlaceUpdaters.install(model);
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        examples.add(minibatch.getFeatures(0).size(0));
        minibatches.add(1);
        lossSum.add(model.score());
    }

    public long examples() {
        return examples.value();
    }

    public long minibatches() {
        return minibatches.value();
    }

    public double lossSum() {
        return lossSum.value();
    }
}
