package org.sparkcnn.pipeline.model;

import java.util.List;
import java.util.Locale;

/**
 * The text of {@code metrics/model-summary.txt}: DL4J's own summary, then our table of every layer in
 * {@link LayerOrder} (the indexes {@code model.freeze-up-to} takes) with a frozen column, and the trainable and
 * frozen parameter counts.
 */
public final class ModelSummary {
    private ModelSummary() {}

    public static String of(Network network) {
        return network.summary() + "\n" + table(network);
    }

    /** Our table alone (what the console shows: one table, not DL4J's beside it). */
    public static String table(Network network) {
        List<FrozenLayers.Row> rows = FrozenLayers.rows(network);
        int width = Math.max(5, rows.stream().mapToInt(r -> r.name().length()).max().orElse(5));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%5s  %-" + width + "s  %-28s %12s  %s%n", "index", "layer", "type", "params",
                "frozen"));
        for (FrozenLayers.Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%5d  %-" + width + "s  %-28s %12d  %s%n", r.index(), r.name(), r.type(),
                    r.params(), r.frozen() ? "frozen" : "-"));
        }
        long total = network.numParams();
        long frozen = rows.stream().filter(FrozenLayers.Row::frozen).mapToLong(FrozenLayers.Row::params).sum();
        sb.append(String.format(Locale.ROOT, "parameters: %d trainable, %d frozen, %d total%n", total - frozen, frozen,
                total));
        return sb.toString();
    }
}
