package org.sparkcnn.pipeline.ingest;

import org.sparkcnn.pipeline.corpus.QuarantineRecord;
import org.sparkcnn.pipeline.shards.ShardInfo;

import java.io.Serializable;
import java.util.List;

/** What one shard task produced: the shard (null when every input was rejected), per-label counts, rejects. */
public record ShardOutcome(ShardInfo shard, long[] perLabel, List<QuarantineRecord> quarantined) implements Serializable {}
