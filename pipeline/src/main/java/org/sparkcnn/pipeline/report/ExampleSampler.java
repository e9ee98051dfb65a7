package org.sparkcnn.pipeline.report;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.ShardReader;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks example images for the report from a split's shards on the driver, shard by shard in manifest order,
 * stopping as soon as it has what it wants or has looked at {@code budget} examples, so the cost stays bounded
 * on any corpus. Images come back as channel-major raw pixels (0..255), as the shards store them.
 */
final class ExampleSampler {
    /** Predicts the class of every example of a raw (uint8, as stored) batch. */
    @FunctionalInterface
    interface Classifier {
        int[] predict(DataSet raw);
    }

    /** What was found: up to the wanted count per class and per (actual, predicted) pair. */
    record Sampled(Map<Integer, List<float[]>> byClass, Map<Long, List<float[]>> misclassified, long scanned) {
        static long key(int actual, int predicted) {
            return ((long) actual << 32) | (predicted & 0xffffffffL);
        }

        List<float[]> ofClass(int c) {
            return byClass.getOrDefault(c, List.of());
        }

        List<float[]> misclassifiedAs(int actual, int predicted) {
            return misclassified.getOrDefault(key(actual, predicted), List.of());
        }
    }

    private final Storage storage;
    private final RunLayout run;
    private final ShardManifest manifest;

    ExampleSampler(Storage storage, RunLayout run, ShardManifest manifest) {
        this.storage = storage;
        this.run = run;
        this.manifest = manifest;
    }

    /**
     * Up to {@code perClass} examples of every class and, with a classifier, up to {@code perPair} examples of
     * each wanted (actual, predicted) pair that it misclassifies that way.
     */
    Sampled sample(String split, int perClass, int budget, Classifier classifier, List<ConfusedPairs.Pair> wanted,
                   int perPair) {
        int classes = manifest.numClasses();
        int size = manifest.channels() * manifest.height() * manifest.width();
        Map<Integer, List<float[]>> byClass = new HashMap<>();
        Map<Long, List<float[]>> misclassified = new HashMap<>();
        List<Long> wantedKeys = classifier == null ? List.of()
                : wanted.stream().map(p -> Sampled.key(p.actual(), p.predicted())).toList();
        long scanned = 0;
        for (ShardInfo shard : manifest.shardsOf(split)) {
            if (scanned >= budget || done(byClass, classes, perClass, misclassified, wantedKeys, perPair)) {
                break;
            }
            DataSet raw = ShardReader.readRaw(storage, Storage.join(run.root(), shard.path()));
            int n = (int) Math.min(raw.numExamples(), budget - scanned);
            if (n < raw.numExamples()) {
                raw = ShardReader.cut(raw, n).get(0);
            }
            float[] pixels = raw.getFeatures().castTo(DataType.FLOAT).data().asFloat();
            int[] labels = raw.getLabels().argMax(1).toIntVector();
            int[] predicted = wantedKeys.isEmpty() ? null : classifier.predict(raw);
            for (int i = 0; i < n; i++) {
                int actual = labels[i];
                List<float[]> mine = byClass.computeIfAbsent(actual, k -> new ArrayList<>());
                if (mine.size() < perClass) {
                    mine.add(copy(pixels, i, size));
                }
                if (predicted != null && predicted[i] != actual) {
                    long key = Sampled.key(actual, predicted[i]);
                    if (wantedKeys.contains(key)) {
                        List<float[]> found = misclassified.computeIfAbsent(key, k -> new ArrayList<>());
                        if (found.size() < perPair) {
                            found.add(copy(pixels, i, size));
                        }
                    }
                }
            }
            scanned += n;
        }
        return new Sampled(byClass, misclassified, scanned);
    }

    private static boolean done(Map<Integer, List<float[]>> byClass, int classes, int perClass,
                                Map<Long, List<float[]>> misclassified, List<Long> wantedKeys, int perPair) {
        for (int c = 0; c < classes && perClass > 0; c++) {
            if (byClass.getOrDefault(c, List.of()).size() < perClass) {
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

    private static float[] copy(float[] all, int index, int size) {
        float[] one = new float[size];
        System.arraycopy(all, index * size, one, 0, size);
        return one;
    }
}
