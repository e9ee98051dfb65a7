package org.sparkcnn.pipeline.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The most confused class pairs of a confusion matrix: its largest off-diagonal cells. */
final class ConfusedPairs {
    private ConfusedPairs() {}

    /**
     * One off-diagonal cell: {@code count} test examples of class {@code actual} predicted as {@code predicted};
     * {@code fractionOfActual} is that count over the actual class's support.
     */
    record Pair(int actual, int predicted, String actualName, String predictedName, int count, double fractionOfActual) {}

    /**
     * The {@code limit} largest non-zero off-diagonal cells of {@code confusion[actual][predicted]}, largest count
     * first; ties go to the larger fraction of the actual class, then to the lower (actual, predicted) indices.
     */
    static List<Pair> top(int[][] confusion, List<String> classes, int limit) {
        List<Pair> pairs = new ArrayList<>();
        for (int a = 0; a < confusion.length; a++) {
            long support = 0;
            for (int v : confusion[a]) {
                support += v;
            }
            for (int p = 0; p < confusion[a].length; p++) {
                if (p != a && confusion[a][p] > 0) {
                    pairs.add(new Pair(a, p, classes.get(a), classes.get(p), confusion[a][p],
                            confusion[a][p] / (double) support));
                }
            }
        }
        pairs.sort(Comparator.comparingInt(Pair::count).reversed()
                .thenComparing(Comparator.comparingDouble(Pair::fractionOfActual).reversed())
                .thenComparingInt(Pair::actual)
                .thenComparingInt(Pair::predicted));
        return List.copyOf(pairs.subList(0, Math.min(limit, pairs.size())));
    }
}
