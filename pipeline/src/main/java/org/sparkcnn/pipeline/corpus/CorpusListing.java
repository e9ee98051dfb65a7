package org.sparkcnn.pipeline.corpus;

import org.sparkcnn.pipeline.config.PipelineConfig.CorpusLayoutName;

import java.util.List;

/**
 * What the driver found in a corpus: the class names (index = label), the accepted entries with their
 * splits, and the inputs rejected before any decoding. {@code listed() = entries + quarantined}.
 */
public record CorpusListing(String rootUri, CorpusLayoutName layout, List<String> classNames,
                            List<CorpusEntry> entries, List<QuarantineRecord> quarantined) {
    public CorpusListing {
        classNames = List.copyOf(classNames);
        entries = List.copyOf(entries);
        quarantined = List.copyOf(quarantined);
    }

    public long listed() {
        return (long) entries.size() + quarantined.size();
    }
}
