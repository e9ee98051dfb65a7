package org.sparkcnn.pipeline.train;

import org.sparkcnn.pipeline.metrics.EpochMetrics;
import org.sparkcnn.pipeline.metrics.RoundMetrics;

import java.util.List;

/**
 * What a checkpoint records beside the model: the last completed epoch, the metrics so far, the best epoch by
 * the monitored metric, the early-stopping counter and verdict, the wall time spent, and for a mid-epoch
 * checkpoint the averaging rounds of the next epoch already done ({@code roundsDone}), so a resumed run
 * continues exactly where it stopped.
 */
public record TrainerState(String runId, int epoch, List<EpochMetrics> history, List<RoundMetrics> rounds,
                           int bestEpoch, double bestMetric,
                           int epochsWithoutImprovement, boolean stoppedEarly, double elapsedSeconds,
                           String configHash, String started, int roundsDone) {
    public TrainerState {
        history = List.copyOf(history);
        rounds = rounds == null ? List.of() : List.copyOf(rounds);
    }
}
