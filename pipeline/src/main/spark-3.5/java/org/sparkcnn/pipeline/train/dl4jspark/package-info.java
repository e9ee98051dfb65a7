/**
 * The adapter over DL4J's {@code ParameterAveragingTrainingMaster} ({@code train.trainer = dl4j-spark}), kept for
 * comparison: {@link org.sparkcnn.pipeline.train.dl4jspark.Dl4jSparkTrainer} runs one dl4j-spark fit per averaging
 * round over the same (round, worker) layout as our trainer, and
 * {@link org.sparkcnn.pipeline.train.dl4jspark.ProgressHook} counts what the workers fitted. dl4j-spark is frozen at
 * 1.0.0-M2 and exists for Scala 2.12 only: nothing outside this package may import it, and the package itself lives
 * in {@code src/main/spark-3.5}, built by the Spark 3.5 line alone. Nothing imports this package either:
 * {@link org.sparkcnn.pipeline.train.dl4jspark.Dl4jSparkTrainerProvider} registers it with
 * {@code train.Trainers} through {@code META-INF/services}. May import
 * {@code train.distributed}, {@code input}, {@code evaluate}, {@code model}, {@code metrics}, {@code config}.
 */
package org.sparkcnn.pipeline.train.dl4jspark;
