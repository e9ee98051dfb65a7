package org.sparkcnn.pipeline.corpus;

import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class SplitAssignerTest {

    @Test
    void assignmentDependsOnlyOnSeedAndPath() {
        SplitAssigner a = new SplitAssigner(7, 0.2, 0.1);
        SplitAssigner b = new SplitAssigner(7, 0.2, 0.1);
        for (int i = 0; i < 500; i++) {
            String path = "class" + (i % 5) + "/img" + i + ".jpg";
            assertEquals(a.assign(path), b.assign(path));
        }
    }

    @Test
    void fractionsAreHonouredOverManyFiles() {
        SplitAssigner a = new SplitAssigner(42, 0.2, 0.1);
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            counts.merge(a.assign("c/" + i + ".jpg"), 1, Integer::sum);
        }
        assertEquals(0.1, counts.get(Split.TEST) / (double) n, 0.01);
        assertEquals(0.9 * 0.2, counts.get(Split.VALIDATION) / (double) n, 0.01);
    }

    @Test
    void anotherSeedGivesAnotherSplit() {
        SplitAssigner a = new SplitAssigner(1, 0.5, 0.0);
        SplitAssigner b = new SplitAssigner(2, 0.5, 0.0);
        int differ = 0;
        for (int i = 0; i < 200; i++) {
            if (a.assign("x/" + i) != b.assign("x/" + i)) {
                differ++;
            }
        }
        assertNotEquals(0, differ);
    }
}
