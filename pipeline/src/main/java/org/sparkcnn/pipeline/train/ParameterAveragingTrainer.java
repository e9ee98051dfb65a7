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
    private final SparkDl4jMultiLayer spark;
    private final JavaSparkContext sc;

    public ParameterAveragingTrainer(JavaSparkContext sc, MultiLayerNetwork network, TrainConfig train, long seed) {
        int workers = train.workers() > 0 ? train.workers() : sc.defaultParallelism();
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(workers,
                train.batchSizePerWorker())
                .batchSizePerWorker(train.batchSizePerWorker())
                .averagingFrequency(train.averagingFrequency())
                .workerPrefetchNumBatches(train.workerPrefetch())
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .saveUpdater(true)
                .rngSeed(seed)
                .collectTrainingStats(false)
                .build();
        this.spark = new SparkDl4jMultiLayer(sc, network, master);
        this.sc = sc;
    }

    @Override
    public double fitEpoch(JavaRDD<DataSet> minibatches, int epoch) {
        spark.fit(minibatches);
        return spark.getScore();
    }

    @Override
    public MultiLayerNetwork network() {
        return spark.getNetwork();
    }

    @Override
    public EvaluationPass evaluate(JavaRDD<DataSet> data, List<String> labels, int topN) {
        return DistributedEvaluator.evaluate(sc, spark.getNetwork(), data, labels, topN);
    }
}
