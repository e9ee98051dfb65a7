package org.sparkcnn.pipeline.ingest;

import org.sparkcnn.pipeline.shards.ShardManifest;

/**
 * What an ingest did. {@code reused} is true when a committed ingest with the same config hash was already
 * there and nothing was rewritten.
 */
public record IngestResult(String runId, String runRoot, ShardManifest manifest, boolean reused, double seconds) {}
