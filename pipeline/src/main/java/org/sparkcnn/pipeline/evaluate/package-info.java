/**
 * Evaluate: distributed classification metrics. {@link org.sparkcnn.pipeline.evaluate.DistributedEvaluator} scores a
 * network over an RDD of minibatches on the executors ({@link org.sparkcnn.pipeline.evaluate.EvaluationPass}: counts,
 * confusion matrix, top-N and mean loss) for the trainer's validation and for
 * {@link org.sparkcnn.pipeline.evaluate.EvaluateJob}, which evaluates a checkpoint on the test split and writes
 * {@code evaluation.json}.
 *
 * <p>Contract: evaluating the same checkpoint again replaces the result, never adds to it; the network travels to the
 * executors as bytes, never as a broadcast array. May import {@code checkpoint}, {@code input}, {@code augment},
 * {@code shards}, {@code model}, {@code storage}, {@code config}, {@code error}; never {@code train}.
 */
package org.sparkcnn.pipeline.evaluate;
