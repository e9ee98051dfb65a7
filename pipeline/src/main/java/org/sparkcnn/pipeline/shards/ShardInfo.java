package org.sparkcnn.pipeline.shards;

import java.io.Serializable;

/** One published shard file: its path relative to the run root, example count, size and SHA-256. */
public record ShardInfo(String split, String path, int examples, long bytes, String sha256) implements Serializable {}
