package org.sparkcnn.pipeline.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report shows every class's samples up to a bound, then that many classes spread over the list. */
class SampledClassesTest {

    @Test
    void aFewClassesAreAllShown() {
        assertEquals(IntStream.range(0, 20).boxed().toList(), ReportJob.sampledClasses(20));
        assertEquals(List.of(), ReportJob.sampledClasses(0));
    }

    @Test
    void food101sClassesAreSampledEvenlyAndDistinctly() {
        List<Integer> shown = ReportJob.sampledClasses(101);
        assertEquals(ReportJob.SAMPLE_CLASSES, shown.size());
        assertEquals(shown.size(), shown.stream().distinct().count(), "no class twice");
        assertEquals(0, shown.get(0));
        assertTrue(shown.get(shown.size() - 1) >= 96, "the list's end is reached: " + shown);
        for (int i = 1; i < shown.size(); i++) {
            int gap = shown.get(i) - shown.get(i - 1);
            assertTrue(gap == 4 || gap == 5, "evenly spaced: " + shown);
        }
    }
}
