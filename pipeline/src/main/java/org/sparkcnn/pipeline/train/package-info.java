/**
 * Train: the {@code train} job and its epoch loop. {@link org.sparkcnn.pipeline.train.TrainJob} opens the run,
 * resumes from the latest checkpoint or starts a new network, and for each epoch fits the epoch's input through
 * a {@link org.sparkcnn.pipeline.train.distributed.DistributedTrainer} (picked by
 * {@link org.sparkcnn.pipeline.train.Trainers}), evaluates validation, records the epoch's metrics, publishes a
 * checkpoint, and applies the learning-rate schedule and early stopping.
 *
 * <p>Contract: after every epoch a complete checkpoint (model, updater state, trainer state) is published before
 * the metrics that mention it; a re-run with the same run id resumes from the latest checkpoint, only with the
 * settings, ingest (its data hash and classes) and worker count it recorded; {@code --overwrite} starts over.
 *
 * <p>The rooms: {@code train} (this job) above {@code train.averaging} (our trainer and its exchanges) and
 * {@code train.dl4jspark} (the adapter over DL4J's, in the Spark 3.5 build only, found through
 * {@code train.distributed.DistributedTrainerProvider}), both of which implement {@code train.distributed} (the seam
 * and the worker-side fit they share). Below them: {@code input} (the epoch's minibatches and their layout),
 * {@code checkpoint}, {@code evaluate}, {@code augment}, {@code model}. Nothing below imports {@code train};
 * {@code PackageDependencyTest} checks this and that there are no cycles.
 */
package org.sparkcnn.pipeline.train;
