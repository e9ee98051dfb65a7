package org.sparkcnn.pipeline.train;

import org.sparkcnn.pipeline.metrics.EpochMetrics;

import java.util.List;

/** What a train run ended with: all epochs so far (resumed ones included), the best epoch, the last checkpoint. */
public record TrainResult(String runId, List<EpochMetrics> epochs, int bestEpoch, double bestValAccuracy,
                          String latestCheckpoint, boolean resumed) {}
