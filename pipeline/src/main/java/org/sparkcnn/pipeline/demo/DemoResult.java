package org.sparkcnn.pipeline.demo;

import org.sparkcnn.pipeline.evaluate.EvaluationResult;
import org.sparkcnn.pipeline.ingest.IngestResult;
import org.sparkcnn.pipeline.train.TrainResult;

/** The stages of one end-to-end run, in order; {@code report} is empty when report.html could not be written. */
public record DemoResult(String runId, String runRoot, IngestResult ingest, TrainResult train,
                         EvaluationResult evaluation, java.util.Optional<String> report) {}
