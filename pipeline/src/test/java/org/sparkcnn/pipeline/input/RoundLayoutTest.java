package org.sparkcnn.pipeline.input;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every minibatch of an epoch gets one (round, worker) slot; no worker exceeds the averaging frequency. */
class RoundLayoutTest {
    @Test
    void everyMinibatchHasOneSlotAndNoWorkerFitsMoreThanTheFrequency() {
        for (int workers = 1; workers <= 5; workers++) {
            for (int frequency = 1; frequency <= 6; frequency++) {
                for (long n = 1; n <= 70; n++) {
                    RoundLayout layout = new RoundLayout(workers, frequency, n);
                    int[] perPartition = new int[layout.numPartitions()];
                    int previous = -1;
                    for (long i = 0; i < n; i++) {
                        int slot = layout.slot(i);
                        assertTrue(slot >= 0 && slot < layout.numPartitions(), "slot of " + i);
                        assertTrue(slot >= previous, "consecutive minibatches never go back a slot");
                        previous = slot;
                        perPartition[slot]++;
                    }
                    String where = workers + " workers, frequency " + frequency + ", " + n + " minibatches";
                    assertEquals((n + (long) workers * frequency - 1) / ((long) workers * frequency), layout.rounds(), where);
                    for (int round = 0; round < layout.rounds(); round++) {
                        int least = Integer.MAX_VALUE;
                        int most = 0;
                        for (int w = 0; w < workers; w++) {
                            int k = perPartition[round * workers + w];
                            assertTrue(k <= frequency, where);
                            least = Math.min(least, k);
                            most = Math.max(most, k);
                        }
                        if (round < layout.rounds() - 1) {
                            assertEquals(frequency, least, "full rounds are full: " + where);
                        } else {
                            assertTrue(most - least <= 1, "the last round is balanced: " + where);
                        }
                    }
                }
            }
        }
    }

    @Test
    void theLastRoundSpreadsItsRemainderOverTheWorkers() {
        // 25 minibatches, 2 workers, every 5: rounds of 10, 10, then 5 as 3 + 2 (not 5 + 0)
        RoundLayout layout = new RoundLayout(2, 5, 25);
        assertEquals(3, layout.rounds());
        assertEquals(4, layout.slot(20));
        assertEquals(4, layout.slot(22));
        assertEquals(5, layout.slot(23));
        assertEquals(5, layout.slot(24));
    }
}
