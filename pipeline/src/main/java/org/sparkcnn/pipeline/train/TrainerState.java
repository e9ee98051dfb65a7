package org.sparkcnn.pipeline.train;

import org.sparkcnn.pipeline.metrics.EpochMetrics;

import java.util.List;

/**
 * What a checkpoint records beside the model: the last completed epoch, the metrics so far, the best
 * validation accuracy and its epoch, and the wall time spent, so a resumed run continues where it stopped.
 */
public record TrainerState(String runId, int epoch, List<EpochMetrics> history, int bestEpoch,
                           double bestValAccuracy, double elapsedSeconds, String configHash) {
    public TrainerState {
        history = List.copyOf(history);
    }
}
