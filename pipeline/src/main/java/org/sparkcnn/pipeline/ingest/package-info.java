/**
 * Ingest: corpus listing to committed shards. The driver lists and plans
 * ({@link org.sparkcnn.pipeline.ingest.ShardPlan}); executors read, decode and resize one image at a time
 * and write one shard per task ({@link org.sparkcnn.pipeline.ingest.ShardBuilder}). Contract:
 * {@code listed = written + quarantined}, shards are deterministic for the same corpus, config and seed,
 * and nothing is visible before the manifest and commit marker are written.
 */
package org.sparkcnn.pipeline.ingest;
