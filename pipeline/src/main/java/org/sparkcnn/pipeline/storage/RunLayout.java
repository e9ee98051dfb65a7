package org.sparkcnn.pipeline.storage;

import java.io.Serializable;

/**
 * Where everything of one run lives: {@code <output.uri>/<run.id>/} with {@code manifest.json},
 * {@code shards/<split>/part-NNNNN.bin}, {@code quarantine/}, {@code checkpoints/}, {@code metrics/},
 * {@code evaluation.json}, {@code report.html}. The only place that spells these names.
 */
public record RunLayout(String root) implements Serializable {

    public static RunLayout of(String outputUri, String runId) {
        return new RunLayout(Storage.join(Storage.qualify(outputUri), runId));
    }

    public String manifest() {
        return Storage.join(root, "manifest.json");
    }

    public String shardsRoot() {
        return Storage.join(root, "shards");
    }

    /** Marker written last by a committed ingest. */
    public String ingestCommitMarker() {
        return Storage.join(shardsRoot(), "_SUCCESS");
    }

    public String ingestStaging() {
        return Storage.join(root, "_staging-ingest");
    }

    public String quarantine() {
        return Storage.join(root, "quarantine");
    }

    public String checkpoints() {
        return Storage.join(root, "checkpoints");
    }

    public String metrics() {
        return Storage.join(root, "metrics");
    }

    public String evaluationJson() {
        return Storage.join(root, "evaluation.json");
    }

    /** predict's default output folder: {@code parquet/} and {@code predictions.csv}. */
    public String predictions() {
        return Storage.join(root, "predictions");
    }

    public String corpus() {
        return Storage.join(root, "corpus");
    }

    /** The self-contained HTML run report. */
    public String report() {
        return Storage.join(root, "report.html");
    }

    /** PNGs of the {@code filters} verb: classic kernels, learned kernels and feature maps per checkpoint. */
    public String filters() {
        return Storage.join(root, "filters");
    }
}
