/**
 * Ingest: corpus listing to committed shards. The driver lists and plans
 * ({@link org.sparkcnn.pipeline.ingest.ShardPlan}); executors read, decode and resize one image at a time
 * and write one shard per task ({@link org.sparkcnn.pipeline.ingest.ShardBuilder}). Contract:
 * {@code listed = written + quarantined}, shards are deterministic for the same corpus, config and seed,
 * and every ingest writes a generation of its own: nothing of it is visible before the manifest naming it is
 * written, which happens only after the counts reconcile and the bad fraction is within bounds, so a failed or
 * killed ingest leaves the previous one whole.
 */
package org.sparkcnn.pipeline.ingest;
