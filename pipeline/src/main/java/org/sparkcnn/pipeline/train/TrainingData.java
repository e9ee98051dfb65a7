package org.sparkcnn.pipeline.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.ShardReader;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.util.List;

/**
 * The training input path: shard files are read on the executors (one task per shard) and cut into float
 * minibatches scaled by 1/255. For training, each epoch permutes the examples of every shard with a seed
 * derived from (run seed, epoch, shard), on top of the seeded mixing order ingest gave the shards.
 * Nothing but shard paths passes through the driver.
 */
public final class TrainingData {
    /** Keras {@code rescale=1./255}. */
    public static final double RESCALE = 1.0 / 255.0;

    private TrainingData() {}

    /** Evaluation input: shards in order, not shuffled. */
    public static JavaRDD<DataSet> minibatches(JavaSparkContext sc, Storage storage, RunLayout run,
                                               ShardManifest manifest, String split, int batchSize) {
        return minibatches(sc, storage, run, manifest, split, batchSize, null);
    }

    /** Training input for one epoch: every shard's examples permuted by a seed of (seed, epoch, shard). */
    public static JavaRDD<DataSet> shuffledMinibatches(JavaSparkContext sc, Storage storage, RunLayout run,
                                                       ShardManifest manifest, String split, int batchSize,
                                                       long seed, int epoch) {
        return minibatches(sc, storage, run, manifest, split, batchSize, seed * 1_000_003L + epoch);
    }

    private static JavaRDD<DataSet> minibatches(JavaSparkContext sc, Storage storage, RunLayout run,
                                                ShardManifest manifest, String split, int batchSize, Long epochSeed) {
        List<String> uris = manifest.shardsOf(split).stream()
                .map(ShardInfo::path).map(p -> Storage.join(run.root(), p)).toList();
        if (uris.isEmpty()) {
            return sc.emptyRDD();
        }
        return sc.parallelize(uris, uris.size())
                .flatMap(uri -> ShardReader.readMinibatches(storage, uri, batchSize, RESCALE,
                        epochSeed == null ? null : epochSeed * 31 + uri.hashCode()).iterator());
    }

    public static long examples(ShardManifest manifest, String split) {
        return manifest.shardsOf(split).stream().mapToLong(ShardInfo::examples).sum();
    }
}
