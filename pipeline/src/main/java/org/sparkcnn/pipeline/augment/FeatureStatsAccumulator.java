package org.sparkcnn.pipeline.augment;

import java.io.Serializable;

/**
 * Accumulates per-channel mean and population std over raw examples, as Keras' {@code ImageDataGenerator.fit}
 * does (values multiplied by {@code rescale} first). Serializable and mergeable, so a Spark job can
 * {@code aggregate} it over the training shards; merging uses Chan et al.'s pairwise update, stable in double.
 */
public final class FeatureStatsAccumulator implements Serializable {
    private final int channels;
    private final double rescale;
    private final long[] count;
    private final double[] mean;
    private final double[] m2;

    /**
     * @param rescale the {@link AugmentConfig#rescale()} in use (0 = none, as in Keras)
     */
    public FeatureStatsAccumulator(int channels, double rescale) {
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1: " + channels);
        }
        this.channels = channels;
        this.rescale = rescale == 0 ? 1 : rescale;
        this.count = new long[channels];
        this.mean = new double[channels];
        this.m2 = new double[channels];
    }

    /** Adds one raw {@code [c, h, w]} example; returns this. */
    public FeatureStatsAccumulator add(float[] chw, int c, int h, int w) {
        if (c != channels || chw.length != c * h * w) {
            throw new IllegalArgumentException("expected " + channels + " channels and " + (c * h * w)
                    + " values, got " + c + " channels and " + chw.length + " values");
        }
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = ch * plane, end = i + plane; i < end; i++) {
                sum += chw[i] * rescale;
            }
            double blockMean = sum / plane;
            double blockM2 = 0;
            for (int i = ch * plane, end = i + plane; i < end; i++) {
                double d = chw[i] * rescale - blockMean;
                blockM2 += d * d;
            }
            combine(ch, plane, blockMean, blockM2);
        }
        return this;
    }

    /** Folds {@code other} into this; returns this. */
    public FeatureStatsAccumulator merge(FeatureStatsAccumulator other) {
        if (other.channels != channels || other.rescale != rescale) {
            throw new IllegalArgumentException("cannot merge accumulators of different channels or rescale");
        }
        for (int ch = 0; ch < channels; ch++) {
            if (other.count[ch] > 0) {
                combine(ch, other.count[ch], other.mean[ch], other.m2[ch]);
            }
        }
        return this;
    }

    /** Examples' pixels seen per channel. */
    public long count() {
        return count[0];
    }

    /**
     * @throws IllegalStateException when nothing was added
     */
    public FeatureStats result() {
        if (count[0] == 0) {
            throw new IllegalStateException("no examples were added");
        }
        float[] m = new float[channels];
        float[] s = new float[channels];
        for (int ch = 0; ch < channels; ch++) {
            m[ch] = (float) mean[ch];
            s[ch] = (float) Math.sqrt(m2[ch] / count[ch]);
        }
        return new FeatureStats(m, s);
    }

    private void combine(int ch, long nB, double meanB, double m2B) {
        long nA = count[ch];
        long n = nA + nB;
        double delta = meanB - mean[ch];
        mean[ch] += delta * nB / n;
        m2[ch] += m2B + delta * delta * ((double) nA * nB / n);
        count[ch] = n;
    }
}
