/**
 * Shards: the on-storage training data. DL4J DataSet files with uint8 {@code [n, c, h, w]} features and
 * one-hot labels, described by {@code manifest.json}
 * ({@link org.sparkcnn.pipeline.shards.ShardManifest}). Contract: a shard set is visible only when its
 * manifest and commit marker exist; every shard's size and SHA-256 are in the manifest.
 */
package org.sparkcnn.pipeline.shards;
