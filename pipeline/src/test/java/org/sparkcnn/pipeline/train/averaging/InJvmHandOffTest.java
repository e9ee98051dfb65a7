package org.sparkcnn.pipeline.train.averaging;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InJvmHandOffTest {
    private static NetworkState state(float v) {
        return new NetworkState(Nd4j.createFromArray(v, v), Nd4j.createFromArray(v));
    }

    @Test
    void aSegmentCarriesItsStateOrAKeyAndTheDriverTakesTheHandedStateOnce() {
        NetworkState handed = state(1);
        InJvmHandOff.put("run-h/abc@7.0", handed);
        BarrierSegment segment = new BarrierSegment(null, "run-h/abc@7.0", 3, List.of());
        assertSame(handed, segment.resolve(), "the very object, nothing serialised");
        IllegalStateException again = assertThrows(IllegalStateException.class, segment::resolve);
        assertTrue(again.getMessage().contains("run-h/abc@7.0") && again.getMessage().contains("local master"),
                again.getMessage());
        NetworkState carried = state(2);
        assertSame(carried, new BarrierSegment(carried, null, 3, List.of()).resolve());
        assertThrows(IllegalArgumentException.class, () -> new BarrierSegment(carried, "k", 3, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new BarrierSegment(null, null, 3, List.of()));
    }

    @Test
    void clearingARunDropsItsLeftoversOnly() {
        int before = InJvmHandOff.held();
        InJvmHandOff.put("run-x/s@1.0", state(1));
        InJvmHandOff.put("run-x/s@1.1", state(1));
        InJvmHandOff.put("run-y/s@2.0", state(1));
        InJvmHandOff.clear("run-x/");
        assertEquals(before + 1, InJvmHandOff.held());
        InJvmHandOff.clear("run-y/");
        assertEquals(before, InJvmHandOff.held());
    }
}
