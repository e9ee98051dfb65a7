package org.sparkcnn.pipeline.input;

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
import org.sparkcnn.pipeline.shards.ShardSource;
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
    private final ShardSource shards;                 // every read verified against the manifest
    private final transient ShardManifest manifest;   // driver side only: which shards
    private final DataSetAugmenter augmenter;

    public TrainingData(Storage storage, RunLayout run, ShardManifest manifest, DataSetAugmenter augmenter) {
        this.shards = ShardSource.of(storage, run, manifest);
        this.manifest = manifest;
        this.augmenter = augmenter;
    }

    /** One training epoch's minibatches, one partition per shard. */
    public JavaRDD<DataSet> trainingEpoch(JavaSparkContext sc, int batchSize, long seed, int epoch) {
        return trainingEpoch(sc, batchSize, seed, epoch, Integer.MAX_VALUE);
    }

    /** The same stream with the shards spread over at most {@code partitions} partitions. */
    public JavaRDD<DataSet> trainingEpoch(JavaSparkContext sc, int batchSize, long seed, int epoch, int partitions) {
        List<String> paths = shardOrder(seed, epoch);
        if (paths.isEmpty()) {
            return sc.emptyRDD();
        }
        return sc.parallelize(paths, Math.min(partitions, paths.size()))
                .flatMap(path -> ShardReader.cut(prepareTraining(path, seed, epoch), batchSize).iterator());
    }

    /**
     * The same epoch keyed by each minibatch's position in it, computed on the driver from the manifest's shard
     * sizes (a shard of {@code n} examples gives {@code ceil(n / batchSize)} minibatches), so training needs no
     * counting pass over the data. Each shard's minibatches are cut by {@code ceil(minTasks / shards)} tasks (each
     * picks only its own run of the shard's permuted order), so a corpus with fewer shards than workers still reads
     * its input in parallel. The minibatches cross the epoch's shuffle as stored 8-bit examples with their ids
     * ({@link PendingMinibatch}, a quarter of the bytes of float input) and the worker that fits one augments it
     * ({@link IndexedMinibatches#finisher()}); finished, they are the same however many tasks cut them, and the same
     * as {@link #trainingEpoch}'s. A shard whose size disagrees with the manifest fails its task, naming both.
     */
    public IndexedMinibatches indexedTrainingEpoch(JavaSparkContext sc, int batchSize, long seed, int epoch,
                                                   int minTasks) {
        List<ShardInfo> shards = new java.util.ArrayList<>(manifest.shardsOf("train"));
        if (shards.isEmpty()) {
            return IndexedMinibatches.of(JavaPairRDD.fromJavaRDD(sc.<scala.Tuple2<Long, PendingMinibatch>>emptyRDD()), 0,
                    finisher(seed, epoch));
        }
        List<String> paths = shardOrder(seed, epoch);
        java.util.Map<String, Integer> examplesByPath = new java.util.HashMap<>();
        shards.forEach(s -> examplesByPath.put(s.path(), s.examples()));
        int partsPerShard = Math.max(1, (minTasks + paths.size() - 1) / paths.size());
        List<ShardPart> work = new java.util.ArrayList<>();
        long first = 0;
        for (String path : paths) {
            int examples = examplesByPath.get(path);
            int minibatches = (examples + batchSize - 1) / batchSize;
            int perPart = Math.max(1, (minibatches + partsPerShard - 1) / partsPerShard);
            for (int from = 0; from < minibatches; from += perPart) {
                int to = Math.min(minibatches, from + perPart);
                work.add(new ShardPart(path, examples, first + from, from * batchSize,
                        Math.min(examples, to * batchSize)));
            }
            first += minibatches;
        }
        JavaPairRDD<Long, PendingMinibatch> byPosition = sc.parallelize(work, work.size()).flatMapToPair(part -> {
            List<scala.Tuple2<Long, PendingMinibatch>> out = new java.util.ArrayList<>();
            long position = part.firstPosition();
            for (PendingMinibatch minibatch : pickTraining(part, seed, epoch, batchSize)) {
                out.add(new scala.Tuple2<>(position++, minibatch));
            }
            return out.iterator();
        });
        return IndexedMinibatches.of(byPosition, first, finisher(seed, epoch));
    }

    /** Examples {@code [from, to)} of a shard's permuted order; the first one's minibatch is at {@code firstPosition}. */
    record ShardPart(String path, int shardExamples, long firstPosition, int from, int to) implements Serializable {}

    /**
     * A part of a training shard as it enters training in {@code epoch}, cut into minibatches of stored examples
     * with their ids: the finisher then augments each exactly as {@link #prepareTraining(String, long, int)} does.
     */
    List<PendingMinibatch> pickTraining(ShardPart part, long seed, int epoch, int batchSize) {
        DataSet raw = readShard(part);
        Picked picked = pick(raw, part.path(), seed, epoch, part.from(), part.to());
        List<PendingMinibatch> out = new java.util.ArrayList<>();
        int start = 0;
        for (DataSet minibatch : ShardReader.cut(picked.examples(), batchSize)) {
            int n = minibatch.numExamples();
            out.add(PendingMinibatch.of(minibatch, java.util.Arrays.copyOfRange(picked.ids(), start, start + n)));
            start += n;
        }
        return out;
    }

    /** A part's whole shard, checked against the manifest's size. */
    private DataSet readShard(ShardPart part) {
        DataSet raw = shards.read(part.path());
        if (raw.numExamples() != part.shardExamples()) {
            throw new IllegalStateException("shard " + part.path() + " holds " + raw.numExamples()
                    + " examples but the manifest says " + part.shardExamples() + "; re-run ingest for this run");
        }
        return raw;
    }

    /** Augments a pending minibatch for (seed, epoch); a finished one passes through. Runs on the executors. */
    org.apache.spark.api.java.function.Function<PendingMinibatch, DataSet> finisher(long seed, int epoch) {
        DataSetAugmenter a = augmenter;
        return m -> m.isFinished() ? m.examples() : a.augment(m.examples(), m.exampleIds(), seed, epoch);
    }

    /**
     * A split's minibatches for evaluation: rescaled (and standardised) only, in stored order. A split with fewer
     * shards than the cluster's default parallelism is read by several tasks per shard, each taking a run of whole
     * minibatches, so a small corpus is evaluated on every core; the minibatches are the same either way.
     */
    public JavaRDD<DataSet> evaluation(JavaSparkContext sc, String split, int batchSize) {
        return evaluation(sc, split, batchSize, sc.defaultParallelism());
    }

    /** {@link #evaluation(JavaSparkContext, String, int)} read by at least {@code minTasks} tasks where it can. */
    public JavaRDD<DataSet> evaluation(JavaSparkContext sc, String split, int batchSize, int minTasks) {
        List<ShardInfo> shards = manifest.shardsOf(split);
        if (shards.isEmpty()) {
            return sc.emptyRDD();
        }
        int partsPerShard = Math.max(1, (minTasks + shards.size() - 1) / shards.size());
        List<ShardPart> work = new java.util.ArrayList<>();
        for (ShardInfo shard : shards) {
            int examples = shard.examples();
            int minibatches = Math.max(1, (examples + batchSize - 1) / batchSize);
            int perPart = Math.max(1, (minibatches + partsPerShard - 1) / partsPerShard);
            for (int from = 0; from < minibatches; from += perPart) {
                int to = Math.min(minibatches, from + perPart);
                work.add(new ShardPart(shard.path(), examples, 0, from * batchSize, Math.min(examples, to * batchSize)));
            }
        }
        return sc.parallelize(work, work.size()).flatMap(part -> {
            DataSet raw = readShard(part);
            if (part.from() > 0 || part.to() < raw.numExamples()) {
                raw = ShardReader.rows(raw, java.util.stream.IntStream.range(part.from(), part.to()).toArray());
            }
            return ShardReader.cut(augmenter.rescaleOnly(raw), batchSize).iterator();
        });
    }

    /** A training shard as it enters training in {@code epoch}: permuted, augmented, rescaled. Pure. */
    public DataSet prepareTraining(String shardPath, long seed, int epoch) {
        DataSet raw = shards.read(shardPath);
        return prepare(raw, shardPath, seed, epoch, 0, raw.numExamples());
    }

    /**
     * Examples {@code [from, to)} of the shard's order for (seed, epoch), each augmented with its own draw for
     * (seed, epoch, example id): the same examples, in the same order, as the whole shard permuted then sliced.
     */
    private DataSet prepare(DataSet raw, String shardPath, long seed, int epoch, int from, int to) {
        Picked picked = pick(raw, shardPath, seed, epoch, from, to);
        return augmenter.augment(picked.examples(), picked.ids(), seed, epoch);
    }

    /** The stored examples {@code [from, to)} of the shard's order for (seed, epoch), with their ids. */
    private static Picked pick(DataSet raw, String shardPath, long seed, int epoch, int from, int to) {
        if (raw.numExamples() == 0) {
            return new Picked(raw, new long[0]);
        }
        int[] order = ShardReader.permutation(raw.numExamples(), shuffleSeed(seed, epoch, shardPath));
        int[] picked = java.util.Arrays.copyOfRange(order, from, Math.max(from, to));
        if (picked.length == 0) {
            throw new IllegalArgumentException("no examples in [" + from + ", " + to + ") of shard " + shardPath);
        }
        long[] allIds = ExampleIds.forShard(shardPath, raw.numExamples());
        long[] ids = new long[picked.length];
        for (int i = 0; i < picked.length; i++) {
            ids[i] = allIds[picked[i]];
        }
        return new Picked(ShardReader.rows(raw, picked), ids);
    }

    private record Picked(DataSet examples, long[] ids) {}

    /** Per-channel mean and std of the training split (raw shards, rescaled by {@code rescale}): Keras' {@code fit}. */
    public FeatureStats featureStats(JavaSparkContext sc, int channels, double rescale) {
        List<String> paths = paths("train");
        return sc.parallelize(paths, Math.max(1, paths.size())).map(path -> {
            DataSet raw = shards.read(path);
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

    /** The training shards in the epoch's order, reshuffled from (seed, epoch); each shard is permuted as well. */
    private List<String> shardOrder(long seed, int epoch) {
        List<String> paths = new java.util.ArrayList<>(paths("train"));
        java.util.Collections.shuffle(paths, new java.util.Random(seed * 1_000_003L + epoch));
        return paths;
    }

    private List<String> paths(String split) {
        return manifest.shardsOf(split).stream().map(ShardInfo::path).toList();
    }

    static long shuffleSeed(long seed, int epoch, String shardPath) {
        return (seed * 1_000_003L + epoch) * 31L + shardPath.hashCode();
    }
}
