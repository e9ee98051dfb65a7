package org.sparkcnn.pipeline.augment;

import java.io.Serializable;

/**
 * What to augment, with Keras {@code ImageDataGenerator}'s meaning for every knob. Pixel-valued settings
 * ({@code channelShiftRange}, {@code cval}) are in raw 0..255 units, because, as in Keras, they act before
 * {@code rescale}. Built by {@link AugmentConfigParser} from the HOCON block {@code augment { }}, or by
 * {@link #builder()}.
 *
 * @param rescale                     multiplies every pixel after the random transforms (Keras {@code rescale});
 *                                    0 means none, as Keras' {@code rescale=None}. Default 1/255: our shards hold uint8
 * @param rotationRange               degrees; theta is uniform in {@code [-r, r)}
 * @param widthShiftRange             column shift: a fraction of the width when below 1, else pixels (Keras)
 * @param heightShiftRange            row shift: a fraction of the height when below 1, else pixels (Keras)
 * @param shearRange                  shear angle in degrees (Keras treats {@code shear_range} as degrees)
 * @param zoomLow                     lower zoom factor; {@code zoom_range=z} means {@code [1 - z, 1 + z]}. A factor
 *                                    above 1 samples a larger area, so the content shrinks (Keras' convention)
 * @param zoomHigh                    upper zoom factor; {@code zoomLow == zoomHigh == 1} is no zoom
 * @param horizontalFlip              mirror left-right with probability 0.5
 * @param verticalFlip                mirror top-bottom with probability 0.5
 * @param brightnessLow               lower brightness factor, or NaN for none (Keras {@code brightness_range=None})
 * @param brightnessHigh              upper brightness factor, or NaN for none
 * @param channelShiftRange           raw pixel units; one intensity in {@code [-r, r)} is added to every channel,
 *                                    then clipped to the image's own min and max (Keras)
 * @param fillMode                    how points outside the image are filled by the affine transform
 * @param cval                        the fill value of {@link FillMode#CONSTANT}, raw 0..255 units
 * @param randomCropHeight            height of a random crop taken after the Keras transforms, 0 = no crop. With a
 *                                    crop the output is {@code randomCropHeight x randomCropWidth}, and validation
 *                                    and test images are centre-cropped to the same size
 * @param randomCropWidth             width of the random crop, 0 = no crop (both or neither are 0)
 * @param featurewiseCenter           subtract the dataset's per-channel mean (given as {@link FeatureStats})
 * @param featurewiseStdNormalization divide by the dataset's per-channel std + 1e-6; implies
 *                                    {@code featurewiseCenter}, as in Keras
 * @param samplewiseCenter            subtract each image's own mean
 * @param samplewiseStdNormalization  divide by each image's own std + 1e-6; implies {@code samplewiseCenter}
 */
public record AugmentConfig(
        double rescale,
        double rotationRange,
        double widthShiftRange,
        double heightShiftRange,
        double shearRange,
        double zoomLow,
        double zoomHigh,
        boolean horizontalFlip,
        boolean verticalFlip,
        double brightnessLow,
        double brightnessHigh,
        double channelShiftRange,
        FillMode fillMode,
        double cval,
        int randomCropHeight,
        int randomCropWidth,
        boolean featurewiseCenter,
        boolean featurewiseStdNormalization,
        boolean samplewiseCenter,
        boolean samplewiseStdNormalization) implements Serializable {

    /** Keras {@code rescale=1./255}, the default: shards hold uint8 0..255. */
    public static final double DEFAULT_RESCALE = 1.0 / 255.0;

    /**
     * Validates; values a user can set are checked earlier, with the key named, by {@link AugmentConfigParser}.
     * As in Keras, {@code featurewiseStdNormalization} turns on {@code featurewiseCenter} and
     * {@code samplewiseStdNormalization} turns on {@code samplewiseCenter}.
     *
     * @throws IllegalArgumentException on a value out of range
     */
    public AugmentConfig {
        require(finite(rescale) && rescale >= 0, "rescale must be finite and >= 0: " + rescale);
        require(finite(rotationRange) && rotationRange >= 0 && rotationRange <= 360,
                "rotationRange must be in [0, 360]: " + rotationRange);
        require(finite(widthShiftRange) && widthShiftRange >= 0, "widthShiftRange must be finite and >= 0: " + widthShiftRange);
        require(finite(heightShiftRange) && heightShiftRange >= 0, "heightShiftRange must be finite and >= 0: " + heightShiftRange);
        require(finite(shearRange) && shearRange >= 0 && shearRange < 90, "shearRange must be in [0, 90): " + shearRange);
        require(finite(zoomLow) && finite(zoomHigh) && zoomLow > 0 && zoomLow <= zoomHigh,
                "zoom range must satisfy 0 < low <= high: [" + zoomLow + ", " + zoomHigh + "]");
        require(Double.isNaN(brightnessLow) == Double.isNaN(brightnessHigh),
                "brightnessLow and brightnessHigh must both be NaN (off) or both be set");
        require(Double.isNaN(brightnessLow) || (finite(brightnessLow) && finite(brightnessHigh)
                        && brightnessLow >= 0 && brightnessLow <= brightnessHigh),
                "brightness range must satisfy 0 <= low <= high: [" + brightnessLow + ", " + brightnessHigh + "]");
        require(finite(channelShiftRange) && channelShiftRange >= 0 && channelShiftRange <= 255,
                "channelShiftRange must be in [0, 255]: " + channelShiftRange);
        require(fillMode != null, "fillMode must not be null");
        require(finite(cval) && cval >= 0 && cval <= 255, "cval must be in [0, 255]: " + cval);
        require(randomCropHeight >= 0 && randomCropWidth >= 0 && (randomCropHeight == 0) == (randomCropWidth == 0),
                "randomCropHeight and randomCropWidth must both be 0 (off) or both be positive: "
                        + randomCropHeight + "x" + randomCropWidth);
        featurewiseCenter = featurewiseCenter || featurewiseStdNormalization;
        samplewiseCenter = samplewiseCenter || samplewiseStdNormalization;
    }

    /** The defaults: no random transform, fill mode nearest, rescale 1/255. */
    public static AugmentConfig defaults() {
        return builder().build();
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** True when rotation, shift, shear and zoom are all off: no example is ever resampled. */
    public boolean isIdentityGeometry() {
        return rotationRange == 0 && widthShiftRange == 0 && heightShiftRange == 0 && shearRange == 0
                && zoomLow == 1 && zoomHigh == 1;
    }

    /**
     * True when nothing random is configured (identity geometry, no flip, brightness, channel shift or crop):
     * every example then comes out as {@code standardize(input)} (rescale and standardisation only).
     */
    public boolean isIdentity() {
        return isIdentityGeometry() && !horizontalFlip && !verticalFlip && !hasBrightness()
                && channelShiftRange == 0 && !hasRandomCrop();
    }

    /** Whether a brightness range is set. */
    public boolean hasBrightness() {
        return !Double.isNaN(brightnessLow);
    }

    /** Whether a random crop is set. */
    public boolean hasRandomCrop() {
        return randomCropHeight > 0;
    }

    /** Whether {@link FeatureStats} must be supplied. */
    public boolean needsFeatureStats() {
        return featurewiseCenter || featurewiseStdNormalization;
    }

    /** Output height for an input of height {@code h}: the crop height when a crop is set. */
    public int outputHeight(int h) {
        return hasRandomCrop() ? randomCropHeight : h;
    }

    /** Output width for an input of width {@code w}: the crop width when a crop is set. */
    public int outputWidth(int w) {
        return hasRandomCrop() ? randomCropWidth : w;
    }

    private static boolean finite(double v) {
        return Double.isFinite(v);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** Mutable builder; {@link #build()} validates. Starts from {@link AugmentConfig#defaults()}. */
    public static final class Builder {
        private double rescale = DEFAULT_RESCALE;
        private double rotationRange;
        private double widthShiftRange;
        private double heightShiftRange;
        private double shearRange;
        private double zoomLow = 1;
        private double zoomHigh = 1;
        private boolean horizontalFlip;
        private boolean verticalFlip;
        private double brightnessLow = Double.NaN;
        private double brightnessHigh = Double.NaN;
        private double channelShiftRange;
        private FillMode fillMode = FillMode.NEAREST;
        private double cval;
        private int randomCropHeight;
        private int randomCropWidth;
        private boolean featurewiseCenter;
        private boolean featurewiseStdNormalization;
        private boolean samplewiseCenter;
        private boolean samplewiseStdNormalization;

        private Builder() {}

        private Builder(AugmentConfig c) {
            rescale = c.rescale;
            rotationRange = c.rotationRange;
            widthShiftRange = c.widthShiftRange;
            heightShiftRange = c.heightShiftRange;
            shearRange = c.shearRange;
            zoomLow = c.zoomLow;
            zoomHigh = c.zoomHigh;
            horizontalFlip = c.horizontalFlip;
            verticalFlip = c.verticalFlip;
            brightnessLow = c.brightnessLow;
            brightnessHigh = c.brightnessHigh;
            channelShiftRange = c.channelShiftRange;
            fillMode = c.fillMode;
            cval = c.cval;
            randomCropHeight = c.randomCropHeight;
            randomCropWidth = c.randomCropWidth;
            featurewiseCenter = c.featurewiseCenter;
            featurewiseStdNormalization = c.featurewiseStdNormalization;
            samplewiseCenter = c.samplewiseCenter;
            samplewiseStdNormalization = c.samplewiseStdNormalization;
        }

        public Builder rescale(double v) { rescale = v; return this; }
        public Builder rotationRange(double degrees) { rotationRange = degrees; return this; }
        public Builder widthShiftRange(double v) { widthShiftRange = v; return this; }
        public Builder heightShiftRange(double v) { heightShiftRange = v; return this; }
        public Builder shearRange(double degrees) { shearRange = degrees; return this; }
        /** Keras {@code zoom_range=z}: {@code [1 - z, 1 + z]}. */
        public Builder zoomRange(double z) { zoomLow = 1 - z; zoomHigh = 1 + z; return this; }
        /** Keras {@code zoom_range=[low, high]}. */
        public Builder zoomRange(double low, double high) { zoomLow = low; zoomHigh = high; return this; }
        public Builder horizontalFlip(boolean v) { horizontalFlip = v; return this; }
        public Builder verticalFlip(boolean v) { verticalFlip = v; return this; }
        public Builder brightnessRange(double low, double high) { brightnessLow = low; brightnessHigh = high; return this; }
        public Builder noBrightness() { brightnessLow = Double.NaN; brightnessHigh = Double.NaN; return this; }
        public Builder channelShiftRange(double v) { channelShiftRange = v; return this; }
        public Builder fillMode(FillMode v) { fillMode = v; return this; }
        public Builder cval(double v) { cval = v; return this; }
        public Builder randomCrop(int height, int width) { randomCropHeight = height; randomCropWidth = width; return this; }
        public Builder featurewiseCenter(boolean v) { featurewiseCenter = v; return this; }
        public Builder featurewiseStdNormalization(boolean v) { featurewiseStdNormalization = v; return this; }
        public Builder samplewiseCenter(boolean v) { samplewiseCenter = v; return this; }
        public Builder samplewiseStdNormalization(boolean v) { samplewiseStdNormalization = v; return this; }

        /** @throws IllegalArgumentException on a value out of range */
        public AugmentConfig build() {
            return new AugmentConfig(rescale, rotationRange, widthShiftRange, heightShiftRange, shearRange,
                    zoomLow, zoomHigh, horizontalFlip, verticalFlip, brightnessLow, brightnessHigh,
                    channelShiftRange, fillMode, cval, randomCropHeight, randomCropWidth, featurewiseCenter,
                    featurewiseStdNormalization, samplewiseCenter, samplewiseStdNormalization);
        }
    }
}
