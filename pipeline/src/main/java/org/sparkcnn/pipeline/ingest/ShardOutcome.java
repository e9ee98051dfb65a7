package org.sparkcnn.pipeline.ingest;

import org.sparkcnn.pipeline.corpus.QuarantineRecord;
import org.sparkcnn.pipeline.shards.ShardInfo;

import java.io.Serializable;
import java.util.List;

/**
 * What one shard task produced: the shard (null when every input was rejected), per-label counts of input
 * images, rejects, and how many materialised augmented copies the shard holds beside its images.
 */
public record ShardOutcome(ShardInfo shard, long[] perLabel, List<QuarantineRecord> quarantined, long copies)
        implements Serializable {}
