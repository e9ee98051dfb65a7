package org.sparkcnn.pipeline.metrics;

/** One row of the {@code runs} table, keyed by run_id. */
public record RunRecord(String runId, String status, String started, String finished, String config,
                        String manifestHash, String codeVersion, int bestEpoch, double bestMetric, String monitor) {}
