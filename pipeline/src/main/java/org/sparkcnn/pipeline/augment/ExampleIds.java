package org.sparkcnn.pipeline.augment;

import java.nio.charset.StandardCharsets;

/**
 * Stable example ids for {@link ParamSampler}: a function of the shard's path (relative to the run root, as the
 * manifest records it) and the example's position in the shard as written, before any per-epoch permutation.
 * They do not depend on partitioning, executors or the warehouse location.
 */
public final class ExampleIds {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private ExampleIds() {}

    /** The id of example {@code indexInShard} of the shard at {@code shardPath}. */
    public static long of(String shardPath, int indexInShard) {
        return SplitMix64.mix64(fnv1a64(shardPath) + indexInShard);
    }

    /** Ids of examples {@code 0 .. count-1} of one shard, in written order. */
    public static long[] forShard(String shardPath, int count) {
        long base = fnv1a64(shardPath);
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = SplitMix64.mix64(base + i);
        }
        return ids;
    }

    private static long fnv1a64(String s) {
        long h = FNV_OFFSET;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }
}
