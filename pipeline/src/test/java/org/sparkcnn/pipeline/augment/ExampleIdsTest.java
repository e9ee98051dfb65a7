package org.sparkcnn.pipeline.augment;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExampleIdsTest {

    @Test
    void idsAreAPureFunctionOfShardPathAndIndex() {
        long[] ids = ExampleIds.forShard("shards/train/part-00003.bin", 500);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(ExampleIds.of("shards/train/part-00003.bin", i), ids[i]);
        }
        // Pinned: changing the id function would silently change every resumed run's augmentation.
        assertEquals(ExampleIds.of("shards/train/part-00003.bin", 7), ExampleIds.forShard("shards/train/part-00003.bin", 8)[7]);
        assertEquals(-1_616_742_013_256_364_531L, ExampleIds.of("shards/train/part-00000.bin", 0));
    }

    @Test
    void idsDifferAcrossExamplesAndShards() {
        Set<Long> seen = new HashSet<>();
        for (int shard = 0; shard < 100; shard++) {
            for (long id : ExampleIds.forShard(String.format("shards/train/part-%05d.bin", shard), 200)) {
                seen.add(id);
            }
        }
        assertEquals(20_000, seen.size());
    }
}
