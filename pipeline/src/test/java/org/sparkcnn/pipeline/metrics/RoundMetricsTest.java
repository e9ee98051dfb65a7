package org.sparkcnn.pipeline.metrics;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.shards.ManifestStore;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rounds are read back from checkpoints' {@code state.json}, including those written before the count existed. */
class RoundMetricsTest {

    @Test
    void aRoundRoundTripsWithItsCount() throws Exception {
        RoundMetrics r = new RoundMetrics("run", 2, 7, 0.75, 64, 1.5, 41);
        String json = ManifestStore.JSON.writeValueAsString(r);
        assertEquals(r, ManifestStore.JSON.readValue(json, RoundMetrics.class));
    }

    @Test
    void aRoundRecordedBeforeCountsExistedReadsAsNotCounted() throws Exception {
        String old = "{\"runId\":\"run\",\"epoch\":1,\"round\":3,\"score\":0.5,\"examples\":32,\"seconds\":0.25}";
        RoundMetrics r = ManifestStore.JSON.readValue(old, RoundMetrics.class);
        assertEquals(-1, r.correct());
        assertEquals(32, r.examples());
    }
}
