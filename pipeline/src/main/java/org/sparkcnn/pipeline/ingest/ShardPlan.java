package org.sparkcnn.pipeline.ingest;

import org.sparkcnn.pipeline.corpus.CorpusEntry;
import org.sparkcnn.pipeline.corpus.Split;
import org.sparkcnn.pipeline.corpus.SplitAssigner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cuts the listing into shard tasks. Within a split, entries are ordered by a seeded hash of their relative
 * path (so every shard mixes the classes, as SGD needs) and chunked; shard names and contents depend only
 * on the corpus, the config and the seed, never on listing order or partitioning.
 */
public final class ShardPlan {
    private ShardPlan() {}

    public static List<ShardTask> plan(List<CorpusEntry> entries, int examplesPerShard, long seed) {
        SplitAssigner order = new SplitAssigner(seed, 0, 0);
        List<ShardTask> tasks = new ArrayList<>();
        for (Split split : Split.values()) {
            List<CorpusEntry> inSplit = entries.stream().filter(e -> e.split() == split)
                    .sorted(Comparator.comparingDouble((CorpusEntry e) -> order.unit("order", e.relativePath()))
                            .thenComparing(CorpusEntry::relativePath)).toList();
            for (int start = 0, index = 0; start < inSplit.size(); start += examplesPerShard, index++) {
                tasks.add(new ShardTask(split, index, inSplit.subList(start, Math.min(inSplit.size(), start + examplesPerShard))));
            }
        }
        return tasks;
    }
}
