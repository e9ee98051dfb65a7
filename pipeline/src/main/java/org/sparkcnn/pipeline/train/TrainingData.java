package org.sparkcnn.pipeline.train;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.augment.DataSetAugmenter;
import org.sparkcnn.pipeline.augment.ExampleIds;
import org.sparkcnn.pipeline.augment.FeatureStats;
import org.sparkcnn.pipeline.augment.FeatureStatsAccumulator;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.ShardReader;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.Serializable;
import java.util.List;

/**
 * The input path, on the executors: one task per shard reads the uint8 shard, then
 * <ul>
 *   <li>training: shards in an order reshuffled from (seed, epoch); each example augmented with its own
 *       draw for (seed, epoch, example id) (the augment settings; identity by default), rescaled; the
 *       shard's examples permuted with a seed of (seed, epoch, shard), then cut into minibatches;</li>
 *   <li>validation, test: only rescales (and standardises), in order.</li>
 * </ul>
 * Everything an example becomes depends on (seed, epoch, shard path, position): not on partitioning,
 * executors or task retries. Nothing but shard paths passes through the driver.
 */
public final class TrainingData implements Serializable {
    private final Storage storage;
    private final RunLayout run;
    private final transient ShardManifest manifest;   // driver side only: which shards
    private final DataSetAugmenter augmenter;

    public TrainingData(Storage storage, RunLayout run, ShardManifest manifest, DataSetAugmenter augmenter) {
        this.storage = storage;
        this.run = run;
        this.manifest = manifest;
        this.augmenter = augmenter;
    }

    /** One training epoch's minibatches, one partition per shard. */
    public JavaRDD<DataSet> trainingEpoch(JavaSparkContext sc, int batchSize, long seed, int epoch) {
        return trainingEpoch(sc, batchSize, seed, epoch, Integer.MAX_VALUE);
    }

    /** The same stream with the shards spread over at most {@code partitions} partitions. */
    public JavaRDD<DataSet> trainingEpoch(JavaSparkContext sc, int batchSize, long seed, int epoch, int partitions) {
        List<String> paths = new java.util.ArrayList<>(paths("train"));
        if (paths.isEmpty()) {
            return sc.emptyRDD();
        }
        // The epoch's shard order is reshuffled from (seed, epoch); each shard's examples are permuted too.
        java.util.Collections.shuffle(paths, new java.util.Random(seed * 1_000_003L + epoch));
        return sc.parallelize(paths, Math.min(partitions, paths.size()))
                .flatMap(path -> ShardReader.cut(prepareTraining(path, seed, epoch), batchSize).iterator());
    }

    /**
     * The same epoch keyed by each minibatch's position in it, computed on the driver from the manifest's shard
     * sizes (a shard of {@code n} examples gives {@code ceil(n / batchSize)} minibatches), so training needs no
     * counting pass over the data. A shard whose size disagrees with the manifest fails its task, naming both.
     */
    public IndexedMinibatches indexedTrainingEpoch(JavaSparkContext sc, int batchSize, long seed, int epoch) {
        List<ShardInfo> shards = new java.util.ArrayList<>(manifest.shardsOf("train"));
        if (shards.isEmpty()) {
            return IndexedMinibatches.of(JavaPairRDD.fromJavaRDD(sc.<scala.Tuple2<Long, DataSet>>emptyRDD()), 0);
        }
        List<String> paths = new java.util.ArrayList<>(shards.stream().map(ShardInfo::path).toList());
        java.util.Collections.shuffle(paths, new java.util.Random(seed * 1_000_003L + epoch));
        java.util.Map<String, Long> examplesByPath = new java.util.HashMap<>();
        shards.forEach(s -> examplesByPath.put(s.path(), (long) s.examples()));
        List<scala.Tuple3<String, Long, Long>> work = new java.util.ArrayList<>();
        long first = 0;
        for (String path : paths) {
            long examples = examplesByPath.get(path);
            work.add(new scala.Tuple3<>(path, first, examples));
            first += (examples + batchSize - 1) / batchSize;
        }
        JavaPairRDD<Long, DataSet> byPosition = sc.parallelize(work, work.size()).flatMapToPair(w -> {
            DataSet shard = prepareTraining(w._1(), seed, epoch);
            if (shard.numExamples() != w._3()) {
                throw new IllegalStateException("shard " + w._1() + " holds " + shard.numExamples()
                        + " examples but the manifest says " + w._3() + "; re-run ingest for this run");
            }
            List<scala.Tuple2<Long, DataSet>> out = new java.util.ArrayList<>();
            long position = w._2();
            for (DataSet minibatch : ShardReader.cut(shard, batchSize)) {
                if (minibatch.numExamples() > 0) {
                    out.add(new scala.Tuple2<>(position++, minibatch));
                }
            }
            return out.iterator();
        });
        return IndexedMinibatches.of(byPosition, first);
    }

    /** A split's minibatches for evaluation: rescaled (and standardised) only, in order. */
    public JavaRDD<DataSet> evaluation(JavaSparkContext sc, String split, int batchSize) {
        List<String> paths = paths(split);
        if (paths.isEmpty()) {
            return sc.emptyRDD();
        }
        return sc.parallelize(paths, paths.size())
                .flatMap(path -> ShardReader.cut(augmenter.rescaleOnly(
                        ShardReader.readRaw(storage, Storage.join(run.root(), path))), batchSize).iterator());
    }

    /** A training shard as it enters training in {@code epoch}: augmented, rescaled, permuted. Pure. */
    public DataSet prepareTraining(String shardPath, long seed, int epoch) {
        DataSet raw = ShardReader.readRaw(storage, Storage.join(run.root(), shardPath));
        DataSet augmented = augmenter.augment(raw, ExampleIds.forShard(shardPath, raw.numExamples()), seed, epoch);
        return ShardReader.permute(augmented, shuffleSeed(seed, epoch, shardPath));
    }

    /** Per-channel mean and std of the training split (raw shards, rescaled by {@code rescale}): Keras' {@code fit}. */
    public FeatureStats featureStats(JavaSparkContext sc, int channels, double rescale) {
        List<String> paths = paths("train");
        return sc.parallelize(paths, Math.max(1, paths.size())).map(path -> {
            DataSet raw = ShardReader.readRaw(storage, Storage.join(run.root(), path));
            long[] shape = raw.getFeatures().shape();
            int c = (int) shape[1];
            int h = (int) shape[2];
            int w = (int) shape[3];
            float[] all = raw.getFeatures().castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
            FeatureStatsAccumulator acc = new FeatureStatsAccumulator(channels, rescale);
            float[] one = new float[c * h * w];
            for (int i = 0; i < shape[0]; i++) {
                System.arraycopy(all, i * one.length, one, 0, one.length);
                acc.add(one, c, h, w);
            }
            return acc;
        }).reduce(FeatureStatsAccumulator::merge).result();
    }

    public long examples(String split) {
        return examples(manifest, split);
    }

    public static long examples(ShardManifest manifest, String split) {
        return manifest.shardsOf(split).stream().mapToLong(ShardInfo::examples).sum();
    }

    private List<String> paths(String split) {
        return manifest.shardsOf(split).stream().map(ShardInfo::path).toList();
    }

    static long shuffleSeed(long seed, int epoch, String shardPath) {
        return (seed * 1_000_003L + epoch) * 31L + shardPath.hashCode();
    }
}
