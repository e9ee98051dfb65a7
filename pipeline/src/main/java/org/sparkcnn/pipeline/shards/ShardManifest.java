package org.sparkcnn.pipeline.shards;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: what an ingest wrote and from what, enough to reproduce it. Written after every
 * shard, immediately before the commit marker.
 *
 * @param configHash   SHA-256 of the ingest-relevant configuration (corpus, image, split, seed, ingest)
 * @param listed       every input the listing saw; always {@code written + quarantined}
 * @param written      input images written to shards
 * @param augmentedCopies materialised augmented copies in the train shards, beside the written images
 *                     (shard example counts add up to {@code written + augmentedCopies})
 * @param reproducible how to reproduce this output (seed and config hash)
 */
public record ShardManifest(
        int formatVersion,
        String runId,
        String corpusUri,
        String layout,
        List<String> classes,
        int height,
        int width,
        int channels,
        String resizeMode,
        long seed,
        String configHash,
        String codeVersion,
        String createdAt,
        long listed,
        long written,
        long quarantined,
        long augmentedCopies,
        Map<String, SplitCounts> splits,
        List<ShardInfo> shards,
        String reproducible,
        JsonNode config) {

    public static final int FORMAT_VERSION = 1;

    /** Shards of one split, in order. */
    public List<ShardInfo> shardsOf(String split) {
        return shards.stream().filter(s -> s.split().equals(split)).toList();
    }

    public int numClasses() {
        return classes.size();
    }
}
