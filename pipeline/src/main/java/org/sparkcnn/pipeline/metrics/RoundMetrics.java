package org.sparkcnn.pipeline.metrics;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.io.Serializable;

/**
 * One row of the {@code rounds} table: one parameter-averaging round, keyed by (run_id, epoch, round): the mean
 * minibatch loss the workers fitted with, the examples fitted, the wall seconds, and how many of the examples the
 * fitting steps' own forward passes classified correctly ({@code correct}; -1 when not counted: the dl4j-spark
 * trainer, or a round recorded before the count existed).
 */
public record RoundMetrics(String runId, int epoch, int round, double score, long examples, double seconds,
                           long correct) implements Serializable {

    /** Reads a row as JSON, where rounds recorded before {@code correct} existed have none (-1). */
    @JsonCreator
    static RoundMetrics fromJson(@JsonProperty("runId") String runId, @JsonProperty("epoch") int epoch,
                                 @JsonProperty("round") int round, @JsonProperty("score") double score,
                                 @JsonProperty("examples") long examples, @JsonProperty("seconds") double seconds,
                                 @JsonProperty("correct") Long correct) {
        return new RoundMetrics(runId, epoch, round, score, examples, seconds, correct == null ? -1 : correct);
    }
}
