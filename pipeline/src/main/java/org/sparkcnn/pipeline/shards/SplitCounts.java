package org.sparkcnn.pipeline.shards;

import java.util.Map;

/** Reconciliation for one split: {@code listed = written + quarantined}, and written examples per class name. */
public record SplitCounts(long listed, long written, long quarantined, Map<String, Long> perClass) {}
