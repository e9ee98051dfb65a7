package org.sparkcnn.pipeline.train;

import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;

/**
 * The learning rate of each epoch (1-based), set on the network by the driver before the epoch: a linear
 * warm-up over {@code train.warmup-epochs}, then {@code train.lr-schedule} (none, step, exponential, cosine)
 * counted from the end of the warm-up. A pure function of the config and the epoch, so resumed runs agree.
 */
public final class LearningRateSchedule {
    private LearningRateSchedule() {}

    public static double at(TrainConfig train, int epoch) {
        return at(train, train.learningRate(), epoch);
    }

    /** {@code base} scaled for {@code workers} parameter-averaging workers as {@code train.lr-scaling} says. */
    public static double scaled(TrainConfig train, double base, int workers) {
        return switch (train.lrScaling()) {
            case NONE -> base;
            case LINEAR -> base * workers;
            case SQRT -> base * Math.sqrt(workers);
        };
    }

    /** The schedule applied to another base rate (fine-tuning's {@code model.fine-tune.learning-rate}). */
    public static double at(TrainConfig train, double base, int epoch) {
        int warm = train.warmupEpochs();
        if (epoch <= warm) {
            return base * epoch / warm;
        }
        int e = epoch - warm - 1;                        // 0 for the first epoch after warm-up
        int span = Math.max(1, train.epochs() - warm);   // epochs the schedule covers
        return switch (train.lrSchedule()) {
            case NONE -> base;
            case STEP -> base * Math.pow(train.lrDecay(), e / train.lrStepEpochs());
            case EXPONENTIAL -> base * Math.pow(train.lrDecay(), e);
            case COSINE -> base * 0.5 * (1 + Math.cos(Math.PI * e / span));
        };
    }
}
