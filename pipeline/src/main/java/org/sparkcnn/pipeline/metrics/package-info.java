/**
 * Metrics: the run's metric tables (Parquet through Spark, with CSV and Keras-style JSON copies).
 * Contract: rows are keyed (run_id, epoch); rewriting never duplicates a key.
 */
package org.sparkcnn.pipeline.metrics;
