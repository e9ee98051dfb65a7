package org.sparkcnn.pipeline.metrics;

import java.io.Serializable;

/** One row of the {@code epochs} table, keyed by (run_id, epoch). Epochs count from 1. */
public record EpochMetrics(String runId, int epoch, double trainLoss, double trainAccuracy, double valLoss,
                           double valAccuracy, double learningRate, double seconds, double samplesPerSecond)
        implements Serializable {}
