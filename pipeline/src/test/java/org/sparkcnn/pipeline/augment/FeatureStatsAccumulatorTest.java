package org.sparkcnn.pipeline.augment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FeatureStatsAccumulatorTest {

    @Test
    void computesPerChannelMeanAndPopulationStdAfterRescale() {
        // channel 0 holds 0 and 255 in equal numbers: mean 0.5, std 0.5 after rescale 1/255.
        // channel 1 holds 51 everywhere: mean 0.2, std 0.
        FeatureStatsAccumulator acc = new FeatureStatsAccumulator(2, 1.0 / 255.0)
                .add(new float[] {0, 255, 51, 51}, 2, 1, 2)
                .add(new float[] {255, 0, 51, 51}, 2, 1, 2);
        FeatureStats s = acc.result();
        assertArrayEquals(new float[] {0.5f, 0.2f}, s.mean(), 1e-7f);
        assertArrayEquals(new float[] {0.5f, 0f}, s.std(), 1e-7f);
        assertEquals(4, acc.count());
    }

    @Test
    void mergingPartialsEqualsOnePass() {
        java.util.Random rng = new java.util.Random(3);
        FeatureStatsAccumulator all = new FeatureStatsAccumulator(3, 1.0 / 255.0);
        FeatureStatsAccumulator a = new FeatureStatsAccumulator(3, 1.0 / 255.0);
        FeatureStatsAccumulator b = new FeatureStatsAccumulator(3, 1.0 / 255.0);
        for (int i = 0; i < 20; i++) {
            float[] x = new float[3 * 4 * 5];
            for (int j = 0; j < x.length; j++) {
                x[j] = rng.nextInt(256) * (j < 20 ? 1 : j < 40 ? 0.5f : 0.25f);
            }
            all.add(x, 3, 4, 5);
            (i % 3 == 0 ? a : b).add(x, 3, 4, 5);
        }
        FeatureStats merged = a.merge(b).result();
        assertArrayEquals(all.result().mean(), merged.mean(), 1e-6f);
        assertArrayEquals(all.result().std(), merged.std(), 1e-6f);
    }

    @Test
    void nothingAddedIsAnError() {
        assertThrows(IllegalStateException.class, () -> new FeatureStatsAccumulator(3, 1).result());
    }

    @Test
    void featureStatsAreValidatedAndCopied() {
        float[] mean = {0.1f};
        FeatureStats s = new FeatureStats(mean, new float[] {0.2f});
        mean[0] = 9f;
        assertEquals(0.1f, s.mean()[0]);
        assertEquals(new FeatureStats(new float[] {0.1f}, new float[] {0.2f}), s);
        assertThrows(IllegalArgumentException.class, () -> new FeatureStats(new float[] {0f}, new float[] {-1f}));
        assertThrows(IllegalArgumentException.class, () -> new FeatureStats(new float[] {0f, 1f}, new float[] {1f}));
    }
}
