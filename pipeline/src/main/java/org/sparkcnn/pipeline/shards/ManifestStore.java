package org.sparkcnn.pipeline.shards;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Reads and writes {@code manifest.json}; a manifest counts only once the ingest commit marker exists. */
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

    /** Publishes: manifest first, then the commit marker. */
    public void commit(RunLayout run, ShardManifest manifest) {
        try {
            storage.writeAtomically(run.manifest(), JSON.writeValueAsBytes(manifest));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        storage.writeString(run.ingestCommitMarker(), manifest.configHash() + "\n");
    }

    /** The committed manifest, if the run has one. */
    public Optional<ShardManifest> readCommitted(RunLayout run) {
        if (!storage.exists(run.ingestCommitMarker()) || !storage.exists(run.manifest())) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(storage.readAll(run.manifest()), ShardManifest.class));
        } catch (IOException e) {
            throw new BadInputException("manifest " + run.manifest() + " is unreadable: " + e.getMessage(), e);
        }
    }

    /** The committed manifest, or a clear error telling the user to ingest first. */
    public ShardManifest require(RunLayout run) {
        return readCommitted(run).orElseThrow(() -> new BadInputException("run " + run.root()
                + " has no committed ingest (no manifest.json with shards/_SUCCESS); run `bin/pipeline ingest` with this run.id first"));
    }
}
