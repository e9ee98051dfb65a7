package org.sparkcnn.pipeline.augment;

/**
 * Draws one example's {@link AugmentParams} with the distributions of Keras' {@code get_random_transform}:
 * theta, shear and channel shift uniform in {@code [-range, range)}; shifts uniform in {@code [-range, range)}
 * times the image size when the range is below 1 (else pixels); {@code zx} and {@code zy} independent and
 * uniform in {@code [zoomLow, zoomHigh)} (exactly 1 when both bounds are 1); each flip with probability 0.5;
 * brightness uniform in {@code [low, high)}. The crop corner is uniform over the valid positions.
 *
 * <p>The generator is seeded by (run seed, epoch, example id) alone, through SplitMix64's finaliser, and every
 * parameter has its own fixed slot in the stream: the same example gets the same transform in the same epoch
 * whatever the partitioning, call order, executor or retry, a different one in the next epoch, and switching one
 * knob on or off does not change what the others draw.
 */
public final class ParamSampler {
    private ParamSampler() {}

    /**
     * @param height    input image height (shift fractions and the crop range refer to it)
     * @param width     input image width
     * @param runSeed   the run's seed ({@code seed} in the job config)
     * @param epoch     the epoch, 0-based or 1-based as the caller likes, but consistently
     * @param exampleId a stable id of the example (see {@link ExampleIds})
     * @throws IllegalArgumentException when a crop is set that does not fit the image
     */
    public static AugmentParams draw(AugmentConfig cfg, int height, int width, long runSeed, int epoch, long exampleId) {
        if (cfg.hasRandomCrop() && (cfg.randomCropHeight() > height || cfg.randomCropWidth() > width)) {
            throw new IllegalArgumentException("random crop " + cfg.randomCropHeight() + "x" + cfg.randomCropWidth()
                    + " does not fit a " + height + "x" + width + " image");
        }
        SplitMix64 rng = new SplitMix64(seedOf(runSeed, epoch, exampleId));
        double uTheta = rng.nextDouble();
        double uTx = rng.nextDouble();
        double uTy = rng.nextDouble();
        double uShear = rng.nextDouble();
        double uZx = rng.nextDouble();
        double uZy = rng.nextDouble();
        double uFlipH = rng.nextDouble();
        double uFlipV = rng.nextDouble();
        double uBrightness = rng.nextDouble();
        double uChannel = rng.nextDouble();
        double uCropY = rng.nextDouble();
        double uCropX = rng.nextDouble();

        double theta = symmetric(cfg.rotationRange(), uTheta);
        double tx = shift(cfg.heightShiftRange(), uTx, height);
        double ty = shift(cfg.widthShiftRange(), uTy, width);
        double shear = symmetric(cfg.shearRange(), uShear);
        double zx = 1;
        double zy = 1;
        if (!(cfg.zoomLow() == 1 && cfg.zoomHigh() == 1)) {
            zx = uniform(cfg.zoomLow(), cfg.zoomHigh(), uZx);
            zy = uniform(cfg.zoomLow(), cfg.zoomHigh(), uZy);
        }
        boolean flipH = cfg.horizontalFlip() && uFlipH < 0.5;
        boolean flipV = cfg.verticalFlip() && uFlipV < 0.5;
        double brightness = cfg.hasBrightness()
                ? uniform(cfg.brightnessLow(), cfg.brightnessHigh(), uBrightness) : Double.NaN;
        double channelShift = symmetric(cfg.channelShiftRange(), uChannel);
        int cropY = 0;
        int cropX = 0;
        if (cfg.hasRandomCrop()) {
            cropY = position(height - cfg.randomCropHeight(), uCropY);
            cropX = position(width - cfg.randomCropWidth(), uCropX);
        }
        return new AugmentParams(theta, tx, ty, shear, zx, zy, flipH, flipV, brightness, channelShift, cropY, cropX);
    }

    /** The 64-bit generator seed of (run seed, epoch, example id). */
    public static long seedOf(long runSeed, int epoch, long exampleId) {
        long h = SplitMix64.mix64(runSeed + SplitMix64.GAMMA);
        h = SplitMix64.mix64(h ^ SplitMix64.mix64(epoch + 2 * SplitMix64.GAMMA));
        return SplitMix64.mix64(h ^ SplitMix64.mix64(exampleId + 3 * SplitMix64.GAMMA));
    }

    /** numpy's {@code uniform(low, high)}: {@code low + (high - low) * u}. */
    private static double uniform(double low, double high, double u) {
        return low + (high - low) * u;
    }

    private static double symmetric(double range, double u) {
        return range == 0 ? 0 : uniform(-range, range, u);
    }

    /** Keras: uniform in {@code [-range, range)}, times the size when {@code range < 1}. */
    private static double shift(double range, double u, int size) {
        if (range == 0) {
            return 0;
        }
        double t = uniform(-range, range, u);
        return range < 1 ? t * size : t;
    }

    /** Uniform integer in {@code [0, maxInclusive]}. */
    private static int position(int maxInclusive, double u) {
        return Math.min(maxInclusive, (int) (u * (maxInclusive + 1)));
    }
}
