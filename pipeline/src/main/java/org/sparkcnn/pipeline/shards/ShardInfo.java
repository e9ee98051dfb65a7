package org.sparkcnn.pipeline.shards;

import java.io.Serializable;

/**
 * One published shard file: its name ({@code shards/<split>/part-NNNNN.bin}, relative to its ingest generation's
 * folder), example count, size and SHA-256. The name is checked when a manifest is read: it never leaves the
 * generation's {@code shards/} folder.
 */
public record ShardInfo(String split, String path, int examples, long bytes, String sha256) implements Serializable {
    public ShardInfo {
        if (path == null || !path.matches("shards/[a-z]+/part-\\d{5,}\\.bin")) {
            throw new IllegalArgumentException("shard path '" + path + "' is not shards/<split>/part-NNNNN.bin");
        }
    }
}
