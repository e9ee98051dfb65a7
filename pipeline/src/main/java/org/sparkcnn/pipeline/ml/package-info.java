/**
 * The Spark ML API: {@link org.sparkcnn.pipeline.ml.CnnClassifier} (an {@code Estimator} over a DataFrame of images
 * and labels) and {@link org.sparkcnn.pipeline.ml.CnnClassificationModel} (its {@code Model}), with Spark ML's params,
 * {@code transformSchema} checks before any job, and {@code MLWritable}/{@code MLReadable} persistence, so both work
 * as stages of a {@code Pipeline}.
 *
 * <p>Contract: there is one implementation of the pipeline, and this is an entry point onto it, like {@code cli}: a
 * fit ingests the DataFrame's rows through {@code ingest.IngestJob} (an {@code ingest.IngestSource} over the rows)
 * and trains with {@code train.TrainJob}, with the CLI's config validation, checkpoints, resume and quarantine; a
 * transform decodes with the ingest's decoder and preprocesses as {@code predict} does. May import {@code ingest},
 * {@code train}, {@code predict}, {@code checkpoint}, {@code model}, {@code augment}, {@code config}, {@code corpus},
 * {@code shards}, {@code storage}, {@code device}, {@code error}; nothing imports it.
 */
package org.sparkcnn.pipeline.ml;
