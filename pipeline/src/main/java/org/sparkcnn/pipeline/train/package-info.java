/**
 * Train: distributed CNN training behind our own seam
 * ({@link org.sparkcnn.pipeline.train.DistributedTrainer}), checkpoints with resume, and the epoch loop.
 * Contract: after every epoch a complete checkpoint (model, updater state, trainer state) is published
 * before the metrics that mention it; a re-run with the same run id resumes from the latest checkpoint.
 */
package org.sparkcnn.pipeline.train;
