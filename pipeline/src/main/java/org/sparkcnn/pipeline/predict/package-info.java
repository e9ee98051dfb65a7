/**
 * Predict: classify new images with a trained run, preprocessing taken from the run's manifest.
 * Contract: one output row per input file; unreadable inputs carry their reason instead of failing the job.
 */
package org.sparkcnn.pipeline.predict;
