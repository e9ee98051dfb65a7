package org.sparkcnn.pipeline.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfusedPairsTest {
    private static final List<String> CLASSES = List.of("cat", "dog", "fox");

    @Test
    void largestOffDiagonalCellsComeFirstAndTheDiagonalNever() {
        int[][] confusion = {
                {50, 3, 7},
                {9, 40, 0},
                {1, 2, 90}};
        List<ConfusedPairs.Pair> top = ConfusedPairs.top(confusion, CLASSES, 3);
        assertEquals(List.of("dog->cat", "cat->fox", "cat->dog"), top.stream().map(p -> p.actualName() + "->" + p.predictedName()).toList());
        assertEquals(9, top.get(0).count());
        assertEquals(9 / 49.0, top.get(0).fractionOfActual(), 1e-12);
    }

    @Test
    void equalCountsAreRankedByShareOfTheActualClass() {
        int[][] confusion = {
                {100, 4, 0},
                {4, 10, 0},
                {0, 0, 5}};
        List<ConfusedPairs.Pair> top = ConfusedPairs.top(confusion, CLASSES, 5);
        assertEquals(2, top.size(), "zero cells are no confusion");
        assertEquals(1, top.get(0).actual(), "4 of 14 dogs outranks 4 of 104 cats");
        assertEquals(0, top.get(1).actual());
    }

    @Test
    void aPerfectMatrixHasNoPairs() {
        assertTrue(ConfusedPairs.top(new int[][]{{3, 0}, {0, 4}}, List.of("a", "b"), 5).isEmpty());
    }
}
