package org.sparkcnn.pipeline.augment;

/**
 * Keras' {@code ImageDataGenerator.standardize}, in its order: rescale, samplewise centre, samplewise std,
 * featurewise centre, featurewise std. Works in place on a working buffer owned by the caller. Pixel arithmetic
 * is in float, as numpy's on Keras' float32 images; means and stds are accumulated in double.
 */
final class Standardizer {
    private static final float EPSILON = 1e-6f;

    private Standardizer() {}

    static void apply(float[] x, int c, int plane, AugmentConfig cfg, FeatureStats stats) {
        apply(x, 0, c, plane, cfg, stats);
    }

    /** The same on the image at {@code x[offset, offset + c * plane)}: a whole batch's array, one image at a time. */
    static void apply(float[] x, int offset, int c, int plane, AugmentConfig cfg, FeatureStats stats) {
        int count = c * plane;
        int end = offset + count;
        if (cfg.rescale() != 0) {
            float scale = (float) cfg.rescale();
            for (int i = offset; i < end; i++) {
                x[i] *= scale;
            }
        }
        if (cfg.samplewiseCenter()) {
            double sum = 0;
            for (int i = offset; i < end; i++) {
                sum += x[i];
            }
            float mean = (float) (sum / count);
            for (int i = offset; i < end; i++) {
                x[i] -= mean;
            }
        }
        if (cfg.samplewiseStdNormalization()) {
            double sum = 0;
            for (int i = offset; i < end; i++) {
                sum += x[i];
            }
            double mean = sum / count;
            double squares = 0;
            for (int i = offset; i < end; i++) {
                double d = x[i] - mean;
                squares += d * d;
            }
            float divisor = (float) Math.sqrt(squares / count) + EPSILON;
            for (int i = offset; i < end; i++) {
                x[i] /= divisor;
            }
        }
        if (cfg.featurewiseCenter() || cfg.featurewiseStdNormalization()) {
            requireStats(c, stats);
        }
        if (cfg.featurewiseCenter()) {
            for (int ch = 0; ch < c; ch++) {
                float mean = stats.meanOf(ch);
                for (int i = offset + ch * plane, stop = i + plane; i < stop; i++) {
                    x[i] -= mean;
                }
            }
        }
        if (cfg.featurewiseStdNormalization()) {
            for (int ch = 0; ch < c; ch++) {
                float divisor = stats.stdOf(ch) + EPSILON;
                for (int i = offset + ch * plane, stop = i + plane; i < stop; i++) {
                    x[i] /= divisor;
                }
            }
        }
    }

    private static void requireStats(int c, FeatureStats stats) {
        if (stats == null) {
            throw new IllegalStateException("featurewise-center / featurewise-std-normalization need the dataset's "
                    + "per-channel mean and std (FeatureStats, e.g. from FeatureStatsAccumulator); none were given");
        }
        if (stats.channels() != c) {
            throw new IllegalArgumentException("FeatureStats has " + stats.channels() + " channels, the image " + c);
        }
    }
}
