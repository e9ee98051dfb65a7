package org.sparkcnn.pipeline.train;

import org.sparkcnn.pipeline.config.PipelineConfig.EarlyStoppingConfig;
import org.sparkcnn.pipeline.metrics.EpochMetrics;

/**
 * Keras' {@code EarlyStopping}: the monitored metric ({@code val_loss}, {@code val_accuracy} or {@code loss})
 * must improve by more than {@code min-delta} (down for losses, up for accuracy); after {@code patience}
 * epochs without improvement training stops. The same rule picks the best checkpoint, stopping or not.
 */
public record EarlyStopping(EarlyStoppingConfig config) {

    public double metric(EpochMetrics e) {
        return switch (config.monitor()) {
            case "val_accuracy" -> e.valAccuracy();
            case "loss" -> e.trainLoss();
            default -> e.valLoss();
        };
    }

    /** True when {@code value} beats {@code best} (the first finite value always does). */
    public boolean improves(double value, double best) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return config.monitor().equals("val_accuracy") ? value > best + config.minDelta() : value < best - config.minDelta();
    }

    /** True when training should stop after this many epochs without improvement. */
    public boolean shouldStop(int epochsWithoutImprovement) {
        return config.enabled() && epochsWithoutImprovement >= Math.max(1, config.patience());
    }
}
