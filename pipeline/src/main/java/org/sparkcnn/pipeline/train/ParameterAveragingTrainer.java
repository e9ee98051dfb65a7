package org.sparkcnn.pipeline.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;

import java.util.List;

/**
 * {@link DistributedTrainer} on DL4J's {@link ParameterAveragingTrainingMaster}: each worker fits
 * {@code averaging-frequency} minibatches of {@code batch-size-per-worker}, then parameters and updater
 * state are averaged on the driver (synchronous). Uses the Direct RDD approach: minibatches come straight
 * from the shard-reading RDD, with no per-epoch export to temporary files.
 */
public final class ParameterAveragingTrainer implements DistributedTrainer {
    private final JavaSparkContext sc;

    private final TrainConfig train;
    private final long seed;
    private MultiLayerNetwork network;

    public ParameterAveragingTrainer(JavaSparkContext sc, MultiLayerNetwork network, TrainConfig train, long seed) {
        this.sc = sc;
        this.network = network;
        this.train = train;
        this.seed = seed;
    }

    /**
     * A fresh training master per epoch, its RNG (which splits the epoch into averaging rounds) seeded by
     * (seed, epoch): a run resumed at epoch k draws the same rounds as one that never stopped.
     */
    private ParameterAveragingTrainingMaster master(int epoch) {
        int workers = train.workers() > 0 ? train.workers() : sc.defaultParallelism();
        return new ParameterAveragingTrainingMaster.Builder(workers, train.batchSizePerWorker())
                .batchSizePerWorker(train.batchSizePerWorker())
                .averagingFrequency(train.averagingFrequency())
                .workerPrefetchNumBatches(train.workerPrefetch())
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .saveUpdater(true)
                .rngSeed(seed * 1_000_003L + epoch)
                .collectTrainingStats(false)
                .build();
    }

    @Override
    public double fitEpoch(JavaRDD<DataSet> minibatches, int epoch) {
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, network, master(epoch));
        spark.fit(minibatches);
        network = spark.getNetwork();
        return spark.getScore();
    }

    @Override
    public MultiLayerNetwork network() {
        return network;
    }

    @Override
    public EvaluationPass evaluate(JavaRDD<DataSet> data, List<String> labels, int topN) {
        return DistributedEvaluator.evaluate(sc, network, data, labels, topN);
    }
}
