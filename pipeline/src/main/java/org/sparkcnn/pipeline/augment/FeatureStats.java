package org.sparkcnn.pipeline.augment;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The dataset's per-channel mean and standard deviation for featurewise standardisation, in rescaled units: what
 * Keras' {@code ImageDataGenerator.fit} computes (after {@code rescale}, population std of the centred data).
 * Compute them with {@link FeatureStatsAccumulator}.
 */
public record FeatureStats(float[] mean, float[] std) implements Serializable {

    /**
     * @throws IllegalArgumentException when the arrays differ in length, are empty, or hold a non-finite value or a
     *                                  negative std
     */
    public FeatureStats {
        if (mean == null || std == null || mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std must be non-empty and of equal length (one per channel)");
        }
        mean = mean.clone();
        std = std.clone();
        for (int i = 0; i < mean.length; i++) {
            if (!Float.isFinite(mean[i]) || !Float.isFinite(std[i]) || std[i] < 0) {
                throw new IllegalArgumentException("channel " + i + ": mean " + mean[i] + " and std " + std[i]
                        + " must be finite, std >= 0");
            }
        }
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    public int channels() {
        return mean.length;
    }

    float meanOf(int channel) {
        return mean[channel];
    }

    float stdOf(int channel) {
        return std[channel];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureStats f && Arrays.equals(mean, f.mean) && Arrays.equals(std, f.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "FeatureStats[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}
