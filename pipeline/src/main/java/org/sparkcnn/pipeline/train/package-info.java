/**
 * Train: distributed CNN training behind our own seam
 * ({@link org.sparkcnn.pipeline.train.DistributedTrainer}, implemented by our
 * {@link org.sparkcnn.pipeline.train.SparkAveragingTrainer} and by dl4j-spark's master in
 * {@link org.sparkcnn.pipeline.train.Dl4jSparkTrainer}), checkpoints with resume, and the epoch loop.
 * Contract: every training example is fitted exactly once per epoch, in a (round, worker) layout that depends only
 * on the seed and the epoch (task retries included); after every epoch a complete checkpoint (model, updater state,
 * trainer state) is published before the metrics that mention it; a re-run with the same run id resumes from the
 * latest checkpoint, only with the settings, ingest (its data hash and classes) and worker count it recorded, and a
 * checkpoint's model file is used only when it matches the digest recorded beside it; {@code --overwrite} starts the
 * training over. The epoch's shuffle carries stored 8-bit examples
 * ({@link org.sparkcnn.pipeline.train.PendingMinibatch}); each minibatch is augmented on the worker that fits it,
 * from (seed, epoch, example id), so the minibatches do not depend on where or by how many tasks they were cut.
 * The workers' parameters meet either in a Spark job per averaging round or inside a barrier job's tasks
 * ({@code train.exchange}); both compute the same mean in the same order, so the choice never changes the result.
 */
package org.sparkcnn.pipeline.train;
