package org.sparkcnn.pipeline.report;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.ShardSource;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks example images for the report from a split's shards on the driver, shard by shard in manifest order and
 * {@value #CHUNK} examples at a time, stopping as soon as it has what it wants or has looked at {@code budget}
 * examples, so time and memory stay bounded on any corpus. What it keeps are thumbnails
 * ({@link ImageGrid#thumbnail}) of the images as the shards store them.
 */
final class ExampleSampler {
    static final int CHUNK = 64;

    /** Predicts the class of every example of a batch of raw pixels (0..255, float, {@code [n, c, h, w]}). */
    @FunctionalInterface
    interface Classifier {
        int[] predict(DataSet raw);
    }

    /** What was found: up to the wanted count per class and per (actual, predicted) pair. */
    record Sampled(Map<Integer, List<BufferedImage>> byClass, Map<Long, List<BufferedImage>> misclassified, long scanned) {
        static long key(int actual, int predicted) {
            return ((long) actual << 32) | (predicted & 0xffffffffL);
        }

        List<BufferedImage> ofClass(int c) {
            return byClass.getOrDefault(c, List.of());
        }

        List<BufferedImage> misclassifiedAs(int actual, int predicted) {
            return misclassified.getOrDefault(key(actual, predicted), List.of());
        }
    }

    private final ShardSource shards;
    private final ShardManifest manifest;
    private final int thumb;

    ExampleSampler(Storage storage, RunLayout run, ShardManifest manifest, int thumb) {
        this.shards = ShardSource.of(storage, run, manifest);
        this.manifest = manifest;
        this.thumb = thumb;
    }

    /**
     * Up to {@code perClass} examples of every class and, with a classifier, up to {@code perPair} examples of
     * each wanted (actual, predicted) pair that it misclassifies that way.
     */
    Sampled sample(String split, int perClass, int budget, Classifier classifier, List<ConfusedPairs.Pair> wanted,
                   int perPair) {
        int classes = manifest.numClasses();
        int c = manifest.channels();
        int h = manifest.height();
        int w = manifest.width();
        int size = c * h * w;
        Map<Integer, List<BufferedImage>> byClass = new HashMap<>();
        Map<Long, List<BufferedImage>> misclassified = new HashMap<>();
        List<Long> wantedKeys = classifier == null ? List.of()
                : wanted.stream().map(p -> Sampled.key(p.actual(), p.predicted())).toList();
        long scanned = 0;
        for (ShardInfo shard : manifest.shardsOf(split)) {
            if (scanned >= budget || done(byClass, classes, perClass, misclassified, wantedKeys, perPair)) {
                break;
            }
            DataSet raw = shards.read(shard.path());
            int n = (int) Math.min(raw.numExamples(), budget - scanned);
            for (int start = 0; start < n && !done(byClass, classes, perClass, misclassified, wantedKeys, perPair);
                 start += CHUNK) {
                int end = Math.min(n, start + CHUNK);
                INDArray features = raw.getFeatures().get(NDArrayIndex.interval(start, end), NDArrayIndex.all(),
                        NDArrayIndex.all(), NDArrayIndex.all()).castTo(DataType.FLOAT).dup('c');
                INDArray oneHot = raw.getLabels().get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).dup();
                float[] pixels = features.data().asFloat();
                int[] labels = oneHot.argMax(1).toIntVector();
                int[] predicted = wantedKeys.isEmpty() ? null : classifier.predict(new DataSet(features, oneHot));
                for (int i = 0; i < end - start; i++) {
                    int actual = labels[i];
                    List<BufferedImage> mine = byClass.computeIfAbsent(actual, k -> new ArrayList<>());
                    if (mine.size() < perClass) {
                        mine.add(thumbnail(pixels, i, size, c, h, w));
                    }
                    if (predicted != null && predicted[i] != actual) {
                        long key = Sampled.key(actual, predicted[i]);
                        if (wantedKeys.contains(key)) {
                            List<BufferedImage> found = misclassified.computeIfAbsent(key, k -> new ArrayList<>());
                            if (found.size() < perPair) {
                                found.add(thumbnail(pixels, i, size, c, h, w));
                            }
                        }
                    }
                }
                scanned += end - start;
            }
        }
        return new Sampled(byClass, misclassified, scanned);
    }

    private static boolean done(Map<Integer, List<BufferedImage>> byClass, int classes, int perClass,
                                Map<Long, List<BufferedImage>> misclassified, List<Long> wantedKeys, int perPair) {
        for (int k = 0; k < classes && perClass > 0; k++) {
            if (byClass.getOrDefault(k, List.of()).size() < perClass) {
                return false;
            }
        }
        for (long key : wantedKeys) {
            if (misclassified.getOrDefault(key, List.of()).size() < perPair) {
                return false;
            }
        }
        return true;
    }

    private BufferedImage thumbnail(float[] all, int index, int size, int c, int h, int w) {
        float[] one = new float[size];
        System.arraycopy(all, index * size, one, 0, size);
        return ImageGrid.thumbnail(one, c, h, w, thumb);
    }
}
