package org.sparkcnn.pipeline.shards;

import com.fasterxml.jackson.databind.JsonNode;

import org.sparkcnn.pipeline.storage.Storage;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: what an ingest wrote and from what, enough to reproduce it. Written after every
 * shard and the quarantine table; from format 2 on, writing it (atomically, at the run root) is the ingest's
 * commit, and {@code generation} names the folder holding that ingest's shards and quarantine table. Format 1
 * manifests (shards at the run root, committed by {@code shards/_SUCCESS}) are still read.
 *
 * @param configHash   SHA-256 of the ingest-relevant configuration (corpus, image, split, seed, ingest)
 * @param listed       every input the listing saw; always {@code written + quarantined}
 * @param written      input images written to shards
 * @param augmentedCopies materialised augmented copies in the train shards, beside the written images
 *                     (shard example counts add up to {@code written + augmentedCopies})
 * @param reproducible how to reproduce this output (seed and config hash)
 * @param generation   the generation folder relative to the run root ({@code ingest/<id>}); empty in format 1.
 *                     Shard paths ({@code shards/<split>/part-NNNNN.bin}) are relative to it: they name the
 *                     shard (example ids and shuffles derive from them), the generation says where it is
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
        JsonNode config,
        String generation) {

    /** Format 2: ingest generations; the manifest at the run root is the commit. */
    public static final int FORMAT_VERSION = 2;

    public ShardManifest {
        generation = generation == null ? "" : generation;
        if (!generation.isEmpty() && !generation.matches("ingest/g-[0-9A-Za-z-]+")) {
            throw new IllegalArgumentException("manifest generation '" + generation + "' is not ingest/g-<id>");
        }
    }

    /** The folder (under the run root) holding this ingest's {@code shards/} and {@code quarantine/}. */
    public String generationRoot(String runRoot) {
        return generation.isEmpty() ? runRoot : Storage.join(runRoot, generation);
    }

    /** Where a shard of this ingest is stored. */
    public String shardUri(String runRoot, ShardInfo shard) {
        return Storage.join(generationRoot(runRoot), shard.path());
    }

    /**
     * The identity of the data this ingest produced: SHA-256 over the classes, the image shape and resize mode, and
     * every shard's split, name, example count and SHA-256. Checkpoints record it, so a model is only resumed,
     * evaluated or used for predictions with the data it was trained on; an ingest re-run with the same config
     * (byte-identical shards) keeps it.
     */
    public String dataHash() {
        StringBuilder sb = new StringBuilder();
        sb.append("classes=").append(String.join("\u0000", classes)).append('\n')
                .append("shape=").append(channels).append('x').append(height).append('x').append(width)
                .append(' ').append(resizeMode).append('\n');
        for (ShardInfo s : shards) {
            sb.append(s.split()).append(' ').append(s.path()).append(' ').append(s.examples()).append(' ')
                    .append(s.sha256()).append('\n');
        }
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where this ingest's quarantine table is stored. */
    public String quarantineUri(String runRoot) {
        return Storage.join(generationRoot(runRoot), "quarantine");
    }

    /** Shards of one split, in order. */
    public List<ShardInfo> shardsOf(String split) {
        return shards.stream().filter(s -> s.split().equals(split)).toList();
    }

    public int numClasses() {
        return classes.size();
    }
}
