/**
 * Checkpoints and the trainer's state under a run's {@code checkpoints/}
 * ({@link org.sparkcnn.pipeline.checkpoint.CheckpointStore}, {@link org.sparkcnn.pipeline.checkpoint.TrainerState}),
 * and where a job's network comes from: a checkpoint of a run, or a checkpoint path
 * ({@link org.sparkcnn.pipeline.checkpoint.ModelSource}).
 *
 * <p>Contract: a checkpoint is published whole, its pointer ({@code latest}) replaced last; a pointer is used only
 * when it names a checkpoint; a model file is deserialised only when it matches the digest its state recorded; a
 * checkpoint is used only with the ingest (data hash and classes) it was trained on. May import {@code storage},
 * {@code shards}, {@code model}, {@code metrics}, {@code error}.
 */
package org.sparkcnn.pipeline.checkpoint;
