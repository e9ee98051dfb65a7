/**
 * Evaluate: distributed test-split metrics of a checkpoint, written as {@code evaluation.json}.
 * Contract: evaluating the same checkpoint again replaces the result, never adds to it.
 */
package org.sparkcnn.pipeline.evaluate;
