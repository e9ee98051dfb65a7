package org.sparkcnn.pipeline.train;

import org.sparkcnn.pipeline.metrics.EpochMetrics;

import java.util.List;

/**
 * What a train run ended with: all epochs so far (resumed ones included), the best epoch by the monitored
 * metric, the final checkpoint (the best one after early stopping with restore-best, else the last).
 */
public record TrainResult(String runId, List<EpochMetrics> epochs, int bestEpoch, double bestMetric,
                          String finalCheckpoint, boolean resumed, boolean stoppedEarly) {}
