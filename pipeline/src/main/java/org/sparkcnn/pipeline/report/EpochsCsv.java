package org.sparkcnn.pipeline.report;

import org.sparkcnn.pipeline.metrics.EpochMetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads back {@code metrics/epochs.csv} as {@code MetricsStore} writes it; columns are found by header name. */
final class EpochsCsv {
    private static final List<String> COLUMNS = List.of("run_id", "epoch", "train_loss", "train_accuracy", "val_loss",
            "val_accuracy", "learning_rate", "seconds", "samples_per_second");

    private EpochsCsv() {}

    /**
     * The rows in file order ("NaN" stays NaN: a run without a validation split has no validation metrics).
     *
     * @throws IllegalArgumentException naming the missing column or the bad line
     */
    static List<EpochMetrics> parse(String csv) {
        String[] lines = csv.split("\r?\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            return List.of();
        }
        List<String> header = Arrays.asList(lines[0].trim().split(","));
        int[] at = new int[COLUMNS.size()];
        for (int i = 0; i < at.length; i++) {
            at[i] = header.indexOf(COLUMNS.get(i));
            if (at[i] < 0) {
                throw new IllegalArgumentException("epochs.csv has no column '" + COLUMNS.get(i) + "' (header: " + lines[0] + ")");
            }
        }
        List<EpochMetrics> rows = new ArrayList<>();
        for (int n = 1; n < lines.length; n++) {
            if (lines[n].isBlank()) {
                continue;
            }
            String[] f = lines[n].trim().split(",", -1);
            try {
                rows.add(new EpochMetrics(f[at[0]], Integer.parseInt(f[at[1]]), num(f[at[2]]), num(f[at[3]]),
                        num(f[at[4]]), num(f[at[5]]), num(f[at[6]]), num(f[at[7]]), num(f[at[8]])));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("epochs.csv line " + (n + 1) + " is malformed: " + lines[n], e);
            }
        }
        return List.copyOf(rows);
    }

    private static double num(String s) {
        return Double.parseDouble(s.trim());
    }
}
