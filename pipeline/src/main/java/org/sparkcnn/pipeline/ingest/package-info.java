/**
 * Ingest: corpus listing to committed shards. The driver lists and plans
 * ({@link org.sparkcnn.pipeline.ingest.ShardPlan}); executors read, decode and resize one image at a time
 * and write one shard per task ({@link org.sparkcnn.pipeline.ingest.ShardBuilder}). Where the images come from is
 * an {@link org.sparkcnn.pipeline.ingest.IngestSource}: a corpus of files, or (the Spark ML API's) a DataFrame's
 * rows; everything after the listing is the same for both. Contract:
 * {@code listed = written + quarantined}, shards are deterministic for the same corpus, config and seed,
 * and every ingest writes a generation of its own: nothing of it is visible before the manifest naming it is
 * written, which happens only after the counts reconcile and the bad fraction is within bounds, so a failed or
 * killed ingest leaves the previous one whole.
 */
package org.sparkcnn.pipeline.ingest;
