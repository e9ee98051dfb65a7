/**
 * The seam over distributed training: {@link org.sparkcnn.pipeline.train.distributed.DistributedTrainer} (one epoch
 * of synchronous data-parallel training over the epoch's minibatches, plus distributed evaluation), what crosses it
 * ({@link org.sparkcnn.pipeline.train.distributed.EpochFit}, round callbacks, worker hooks, the round console), and
 * the worker-side fit both trainers share ({@link org.sparkcnn.pipeline.train.distributed.WorkerRound}).
 *
 * <p>Contract: every training example is fitted exactly once per epoch, in the (round, worker) layout of
 * {@code input.RoundLayout}, which depends only on the seed and the epoch (task retries included); counts and
 * losses cover successful task attempts only. May import {@code input}, {@code evaluate}, {@code model},
 * {@code metrics}, {@code config}; never {@code train} or its implementations.
 */
package org.sparkcnn.pipeline.train.distributed;
