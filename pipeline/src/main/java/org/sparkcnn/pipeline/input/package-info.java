/**
 * Input: the minibatches the trainer fits and the evaluator scores, read from a committed ingest's shards on the
 * executors ({@link org.sparkcnn.pipeline.input.TrainingData}), and the epoch's layout over averaging rounds and
 * workers: {@link org.sparkcnn.pipeline.input.RoundLayout}, the shuffle that lays an epoch out per round
 * ({@link org.sparkcnn.pipeline.input.RoundPartitions}) or per worker
 * ({@link org.sparkcnn.pipeline.input.WorkerPartitions}), and laying out the next epoch while this one finishes
 * ({@link org.sparkcnn.pipeline.input.ShuffleAhead}).
 *
 * <p>Contract: what an example becomes depends only on (seed, epoch, shard path, position), never on partitioning,
 * executors or task retries; the epoch's shuffle carries stored 8-bit examples
 * ({@link org.sparkcnn.pipeline.input.PendingMinibatch}), augmented on the worker that fits them; nothing but shard
 * paths and minibatch counts passes through the driver. May import {@code shards}, {@code augment},
 * {@code storage}; never {@code train}, {@code evaluate} or {@code checkpoint}.
 */
package org.sparkcnn.pipeline.input;
