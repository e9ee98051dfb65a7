package org.sparkcnn.pipeline.shards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Reads and writes {@code manifest.json}. From format 2 on, the manifest at the run root is the ingest's commit:
 * it is written atomically once the generation it names is complete, so a reader sees the previous ingest or the
 * new one, whole. A format 1 manifest counts only with its {@code shards/_SUCCESS} marker. A manifest is input:
 * its generation and shard names are checked as it is read, and a file that does not parse is a bad input naming it.
 */
public final class ManifestStore {
    /** Our JSON: indented, sorted map keys; unknown fields are ignored on read so newer files stay readable. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final Storage storage;

    public ManifestStore(Storage storage) {
        this.storage = storage;
    }

    /** Commits: writes the manifest at the run root atomically (readers switch to its generation in one step). */
    public void commit(RunLayout run, ShardManifest manifest) {
        try {
            storage.writeAtomically(run.manifest(), JSON.writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The committed manifest, if the run has one. */
    public Optional<ShardManifest> readCommitted(RunLayout run) {
        if (!storage.exists(run.manifest())) {
            return Optional.empty();
        }
        byte[] bytes = storage.readAll(run.manifest());
        ShardManifest manifest;
        try {
            manifest = JSON.readValue(bytes, ShardManifest.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException("manifest " + run.manifest() + " is unreadable (" + rootMessage(e)
                    + "); it was not written by this pipeline or was changed since: re-run ingest with --overwrite", e);
        }
        if (manifest.formatVersion() < 2 && !storage.exists(run.legacyIngestCommitMarker())) {
            return Optional.empty();
        }
        if (manifest.formatVersion() > ShardManifest.FORMAT_VERSION) {
            throw new BadInputException("manifest " + run.manifest() + " has format " + manifest.formatVersion()
                    + ", newer than this build reads (" + ShardManifest.FORMAT_VERSION + "); use a newer build");
        }
        return Optional.of(manifest);
    }

    /** The committed manifest, or a clear error telling the user to ingest first. */
    public ShardManifest require(RunLayout run) {
        return readCommitted(run).orElseThrow(() -> new BadInputException("run " + run.root()
                + " has no committed ingest (no manifest.json); run `bin/pipeline ingest` with this run.id first"));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
