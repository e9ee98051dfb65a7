package org.sparkcnn.pipeline.storage;

import org.sparkcnn.pipeline.error.BadInputException;

import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * Where everything of one run lives: {@code <output.uri>/<run.id>/} with {@code manifest.json} (the committed
 * ingest), {@code ingest/<generation>/shards/<split>/part-NNNNN.bin} and {@code ingest/<generation>/quarantine/}
 * (one generation per ingest; the manifest names the current one), {@code checkpoints/}, {@code metrics/},
 * {@code evaluation.json}, {@code report.html}. The only place that spells these names. Runs ingested before
 * generations existed keep {@code shards/} (with its {@code _SUCCESS} marker) and {@code quarantine/} at the root.
 */
public record RunLayout(String root) implements Serializable {

    public static RunLayout of(String outputUri, String runId) {
        return new RunLayout(Storage.join(Storage.qualify(outputUri), runId));
    }

    public String manifest() {
        return Storage.join(root, "manifest.json");
    }

    /** The folder of every ingest generation; each holds {@code shards/} and {@code quarantine/}. */
    public String ingestGenerations() {
        return Storage.join(root, INGEST_GENERATIONS);
    }

    /** A generation's folder relative to the run root, as the manifest records it. */
    public static String generationPath(String generation) {
        return INGEST_GENERATIONS + "/" + generation;
    }

    /** Folder name of {@link #ingestGenerations()}. */
    public static final String INGEST_GENERATIONS = "ingest";

    /** Where ingests before generations kept their shards (and their {@code _SUCCESS} commit marker). */
    public String legacyShardsRoot() {
        return Storage.join(root, "shards");
    }

    /** The commit marker of an ingest before generations. */
    public String legacyIngestCommitMarker() {
        return Storage.join(legacyShardsRoot(), "_SUCCESS");
    }

    /** Where ingests before generations kept their quarantine table. */
    public String legacyQuarantine() {
        return Storage.join(root, "quarantine");
    }

    /** The staging folder of ingests before generations (removed by the next ingest's commit). */
    public String legacyIngestStaging() {
        return Storage.join(root, "_staging-ingest");
    }

    public String checkpoints() {
        return Storage.join(root, "checkpoints");
    }

    /** A checkpoint folder's name: {@code epoch-NNNN}, or {@code epoch-NNNN-round-NNNNN} taken mid-epoch. */
    private static final Pattern CHECKPOINT_NAME = Pattern.compile("epoch-\\d{4,9}(-round-\\d{5,9})?");

    public static boolean isCheckpointName(String name) {
        return name != null && CHECKPOINT_NAME.matcher(name).matches();
    }

    /**
     * The checkpoint a pointer file ({@code checkpoints/latest}, {@code best}, {@code final}) names. A pointer is
     * input: anything but one checkpoint name (a path, {@code ..}, a URI, several lines) is refused, naming the
     * pointer, so a tampered pointer never leads outside its run's {@code checkpoints/} folder.
     */
    public static String checkpointOfPointer(String content, String pointerUri) {
        String name = content.strip();
        if (!isCheckpointName(name)) {
            String shown = name.length() > 60 ? name.substring(0, 60) + "..." : name;
            throw new BadInputException("checkpoint pointer " + pointerUri + " holds '" + shown.replaceAll("\\p{Cntrl}", "?")
                    + "', not a checkpoint name (epoch-NNNN or epoch-NNNN-round-NNNNN); it was not written by this "
                    + "pipeline: write the name of an existing checkpoint folder into it, or delete it");
        }
        return name;
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
