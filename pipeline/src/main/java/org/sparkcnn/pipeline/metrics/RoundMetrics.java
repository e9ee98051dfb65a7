package org.sparkcnn.pipeline.metrics;

import java.io.Serializable;

/** One row of the {@code rounds} table: one parameter-averaging round, keyed by (run_id, epoch, round). */
public record RoundMetrics(String runId, int epoch, int round, double score, long examples, double seconds)
        implements Serializable {}
