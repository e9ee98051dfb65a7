/**
 * Our trainer ({@code train.trainer = spark-averaging}, the default):
 * {@link org.sparkcnn.pipeline.train.averaging.SparkAveragingTrainer} and its exchanges. Each averaging round, every
 * worker fits its minibatches from the round's mean network, and the workers' parameters and updater state meet
 * either in a Spark job per round ({@link org.sparkcnn.pipeline.train.averaging.RoundTask}, summed in worker order
 * by {@link org.sparkcnn.pipeline.train.averaging.WorkerOrderSum}) or inside one barrier job's tasks
 * ({@link org.sparkcnn.pipeline.train.averaging.BarrierRoundsTask}, through
 * {@link org.sparkcnn.pipeline.train.averaging.InJvmExchange} or Spark's {@code allGather}); {@code train.exchange}
 * picks one ({@link org.sparkcnn.pipeline.train.averaging.ExchangeChoice}). Before the first round
 * {@link org.sparkcnn.pipeline.train.averaging.Preflight} checks that the workers, their exchange and the driver fit
 * in the memory the cluster gives them.
 *
 * <p>Contract: every exchange computes the same mean in the same order, so the choice never changes the result;
 * an executor keeps its worker networks between rounds ({@link org.sparkcnn.pipeline.train.averaging.WorkerNetworkPool})
 * only for one network structure, and every round starts them from the round's mean. May import {@code train.distributed}, {@code input},
 * {@code evaluate}, {@code model}, {@code spark}, {@code metrics}, {@code config}, {@code error}; never {@code train}
 * or {@code train.dl4jspark}.
 */
package org.sparkcnn.pipeline.train.averaging;
