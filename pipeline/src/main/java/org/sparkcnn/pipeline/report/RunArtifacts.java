package org.sparkcnn.pipeline.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.sparkcnn.pipeline.augment.Preprocessing;
import org.sparkcnn.pipeline.checkpoint.CheckpointStore;
import org.sparkcnn.pipeline.evaluate.EvaluationResult;
import org.sparkcnn.pipeline.metrics.EpochMetrics;
import org.sparkcnn.pipeline.metrics.RunRecord;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a run has written so far, as the report needs it. Every part is optional: a run that was only ingested
 * has a manifest and nothing else. A file that exists but cannot be read is left out and named in
 * {@link #problems()}, so the report still appears and says what is wrong.
 *
 * @param configJson   the resolved, credential-redacted configuration (pretty JSON), from {@code metrics/run.json}
 *                     when training has run, else from the manifest; empty when neither exists
 * @param configSource which file {@code configJson} came from
 * @param checkpoints  pointer name ({@code latest}, {@code best}, {@code final}) to the checkpoint it names
 * @param outputs      where the run's checkpoints, tables and files are, and whether each exists yet
 */
record RunArtifacts(String runId, RunLayout layout, Optional<ShardManifest> manifest, Optional<RunRecord> runRecord,
                    List<EpochMetrics> epochs, Optional<EvaluationResult> evaluation,
                    Optional<Preprocessing> preprocessing, Map<String, String> checkpoints, String configJson,
                    String configSource, List<Output> outputs, List<String> problems) {

    /** One output of the run: what it is, its URI, and whether it exists. */
    record Output(String what, String uri, boolean exists) {}

    static String runJson(RunLayout run) {
        return Storage.join(run.metrics(), "run.json");
    }

    static String epochsCsv(RunLayout run) {
        return Storage.join(run.metrics(), "epochs.csv");
    }

    /** Reads whatever of the run exists; never fails on a missing file. */
    static RunArtifacts load(Storage storage, RunLayout run, String runId) {
        List<String> problems = new ArrayList<>();
        Optional<ShardManifest> manifest = attempt(problems, run.manifest(),
                () -> new ManifestStore(storage).readCommitted(run));
        Optional<RunRecord> record = attempt(problems, runJson(run), () -> storage.exists(runJson(run))
                ? Optional.of(read(storage, runJson(run), RunRecord.class)) : Optional.empty());
        List<EpochMetrics> epochs = attempt(problems, epochsCsv(run), () -> storage.exists(epochsCsv(run))
                ? Optional.of(EpochsCsv.parse(storage.readString(epochsCsv(run)))) : Optional.<List<EpochMetrics>>empty())
                .orElse(List.of());
        Optional<EvaluationResult> evaluation = attempt(problems, run.evaluationJson(), () -> storage.exists(run.evaluationJson())
                ? Optional.of(read(storage, run.evaluationJson(), EvaluationResult.class)) : Optional.empty());
        Optional<Preprocessing> preprocessing = attempt(problems, Preprocessing.uri(run), () -> Preprocessing.read(storage, run));
        CheckpointStore store = new CheckpointStore(storage, run);
        Map<String, String> checkpoints = new LinkedHashMap<>();
        for (String pointer : List.of("latest", "best", "final")) {
            attempt(problems, Storage.join(run.checkpoints(), pointer), () -> store.resolve(pointer))
                    .ifPresent(name -> checkpoints.put(pointer, name));
        }
        String configJson = "";
        String configSource = "";
        try {
            if (record.isPresent() && record.get().config() != null && !record.get().config().isBlank()) {
                configJson = ManifestStore.JSON.readTree(record.get().config()).toPrettyString();
                configSource = runJson(run);
            } else if (manifest.isPresent() && manifest.get().config() != null) {
                configJson = manifest.get().config().toPrettyString();
                configSource = run.manifest();
            }
        } catch (Exception e) {
            problems.add(runJson(run) + ": its config is not JSON (" + e.getMessage() + ")");
        }
        return new RunArtifacts(runId, run, manifest, record, epochs, evaluation, preprocessing,
                java.util.Collections.unmodifiableMap(checkpoints), configJson, configSource, outputs(storage, run, manifest, store, checkpoints),
                List.copyOf(problems));
    }

    private static List<Output> outputs(Storage storage, RunLayout run, Optional<ShardManifest> manifest,
                                        CheckpointStore store, Map<String, String> pointers) {
        Map<String, String> where = new LinkedHashMap<>();
        where.put("run folder", run.root());
        where.put("ingest manifest", run.manifest());
        where.put("shards", manifest.map(m -> Storage.join(m.generationRoot(run.root()), "shards"))
                .orElse(run.ingestGenerations()));
        where.put("quarantine table (Parquet)", manifest.map(m -> m.quarantineUri(run.root()))
                .orElse(run.ingestGenerations()));
        where.put("checkpoints", run.checkpoints());
        for (Map.Entry<String, String> p : pointers.entrySet()) {
            where.put("checkpoint '" + p.getKey() + "' (" + p.getValue() + ")", store.modelUri(p.getValue()));
        }
        where.put("epoch metrics table (Parquet)", Storage.join(run.metrics(), "epochs"));
        where.put("epoch metrics CSV", epochsCsv(run));
        where.put("Keras-style history", Storage.join(run.metrics(), "history.json"));
        where.put("model summary", Storage.join(run.metrics(), "model-summary.txt"));
        where.put("averaging rounds table (Parquet)", Storage.join(run.metrics(), "rounds"));
        where.put("runs table (Parquet)", Storage.join(run.metrics(), "runs"));
        where.put("run record", runJson(run));
        where.put("preprocessing", Preprocessing.uri(run));
        where.put("latest evaluation", run.evaluationJson());
        where.put("evaluation table (Parquet)", Storage.join(run.metrics(), "evaluation"));
        where.put("per-class table (Parquet)", Storage.join(run.metrics(), "per_class"));
        where.put("per-class CSV", Storage.join(run.metrics(), "per_class.csv"));
        where.put("confusion table (Parquet)", Storage.join(run.metrics(), "confusion"));
        where.put("confusion CSV", Storage.join(run.metrics(), "confusion.csv"));
        where.put("augmentation preview", Storage.join(run.root(), "augment-preview.png"));
        where.put("predictions", Storage.join(run.root(), "predictions", "predictions.csv"));
        where.put("this report", run.report());
        List<Output> out = new ArrayList<>();
        for (Map.Entry<String, String> e : where.entrySet()) {
            boolean exists;
            try {
                exists = storage.exists(e.getValue());
            } catch (RuntimeException ex) {
                exists = false;
            }
            out.add(new Output(e.getKey(), e.getValue(), exists));
        }
        return List.copyOf(out);
    }

    /** The training seed recorded in the configuration, else the manifest's, else {@code fallback}. */
    long seed(long fallback) {
        try {
            if (!configJson.isEmpty()) {
                JsonNode seed = ManifestStore.JSON.readTree(configJson).get("seed");
                if (seed != null && seed.canConvertToLong()) {
                    return seed.asLong();
                }
            }
        } catch (Exception e) {
            // fall through to the manifest's seed
        }
        return manifest.map(ShardManifest::seed).orElse(fallback);
    }

    private static <T> T read(Storage storage, String uri, Class<T> type) {
        try {
            return ManifestStore.JSON.readValue(storage.readAll(uri), type);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static <T> Optional<T> attempt(List<String> problems, String uri, Supplier<Optional<T>> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            problems.add(uri + " could not be read: " + cause.getMessage());
            return Optional.empty();
        }
    }
}
