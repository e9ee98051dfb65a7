/**
 * Shards: the on-storage training data. DL4J DataSet files with uint8 {@code [n, c, h, w]} features and
 * one-hot labels, described by {@code manifest.json}
 * ({@link org.sparkcnn.pipeline.shards.ShardManifest}). Contract: a shard set is visible only once the manifest
 * naming its ingest generation is written (that write is the commit); every shard's size and SHA-256 are in the
 * manifest, and shards are read back only through {@link org.sparkcnn.pipeline.shards.ShardSource}, which checks
 * both (and the example count) while streaming, before the shard is used.
 */
package org.sparkcnn.pipeline.shards;
