package org.sparkcnn.pipeline.ingest;

import org.sparkcnn.pipeline.corpus.CorpusEntry;
import org.sparkcnn.pipeline.corpus.Split;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/** One shard to build on an executor: its split, its number within the split, and its input files in order. */
public record ShardTask(Split split, int index, List<CorpusEntry> entries) implements Serializable {
    public ShardTask {
        entries = List.copyOf(entries);
    }

    /** Path relative to the run root, e.g. {@code shards/train/part-00003.bin}. */
    public String relativePath() {
        return String.format(Locale.ROOT, "shards/%s/part-%05d.bin", split.label(), index);
    }
}
