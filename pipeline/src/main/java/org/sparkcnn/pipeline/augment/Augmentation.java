package org.sparkcnn.pipeline.augment;

/**
 * Applies drawn {@link AugmentParams} to one example: pure functions on a channel-major {@code float[c*h*w]} of raw
 * 0..255 pixels. The steps, in Keras' order ({@code apply_transform} then {@code standardize}):
 * <ol>
 *   <li>affine: rotation, shift, shear and zoom as one {@link AffineMatrix}, one bilinear resampling with the
 *       {@link FillMode}; skipped when the geometry is neutral (then pixels are copied bit for bit)</li>
 *   <li>channel shift: {@code clip(x + intensity, min(x), max(x))} over the whole image
 *       ({@code apply_channel_shift})</li>
 *   <li>horizontal flip, then vertical flip</li>
 *   <li>brightness: {@code apply_brightness_shift(x, b, scale=False)} goes through an 8-bit PIL image, so each value is
 *       truncated to an integer, multiplied by {@code b} in float, clipped to [0, 255] and truncated again</li>
 *   <li>random crop ({@code cropY}, {@code cropX}, size from the config)</li>
 *   <li>rescale, samplewise centre and std, featurewise centre and std ({@code standardize})</li>
 * </ol>
 */
public final class Augmentation {
    private Augmentation() {}

    /** {@link #apply(float[], int, int, int, AugmentParams, AugmentConfig, FeatureStats)} without feature stats. */
    public static float[] apply(float[] chw, int c, int h, int w, AugmentParams p, AugmentConfig cfg) {
        return apply(chw, c, h, w, p, cfg, null);
    }

    /**
     * @param chw   {@code [c, h, w]} raw pixels, not modified
     * @param stats the dataset's per-channel statistics; required when a featurewise option is on, else may be null
     * @return a new {@code [c, cfg.outputHeight(h), cfg.outputWidth(w)]} array
     * @throws IllegalArgumentException on a shape mismatch or a crop that does not fit
     * @throws IllegalStateException    when a featurewise option is on and {@code stats} is null
     */
    public static float[] apply(float[] chw, int c, int h, int w, AugmentParams p, AugmentConfig cfg,
                                FeatureStats stats) {
        checkShape(chw, c, h, w);
        float[] x;
        if (p.isIdentityGeometry()) {
            x = chw.clone();
        } else {
            x = new float[chw.length];
            Resampler.bilinear(chw, c, h, w, AffineMatrix.keras(p, h, w), cfg.fillMode(), cfg.cval(), x);
        }
        if (p.channelShift() != 0) {
            channelShift(x, p.channelShift());
        }
        if (p.flipH()) {
            flipHorizontal(x, c, h, w);
        }
        if (p.flipV()) {
            flipVertical(x, c, h, w);
        }
        if (p.hasBrightness()) {
            brightness(x, p.brightness());
        }
        int oh = h;
        int ow = w;
        if (cfg.hasRandomCrop()) {
            oh = cfg.randomCropHeight();
            ow = cfg.randomCropWidth();
            x = crop(x, c, h, w, p.cropY(), p.cropX(), oh, ow);
        }
        Standardizer.apply(x, c, oh * ow, cfg, stats);
        return x;
    }

    /**
     * Validation and test: no random transform; a centre crop to the training crop size when a random crop is set,
     * then rescale and standardisation.
     */
    public static float[] standardize(float[] chw, int c, int h, int w, AugmentConfig cfg, FeatureStats stats) {
        checkShape(chw, c, h, w);
        float[] x;
        int oh = h;
        int ow = w;
        if (cfg.hasRandomCrop()) {
            oh = cfg.randomCropHeight();
            ow = cfg.randomCropWidth();
            x = crop(chw, c, h, w, (h - oh) / 2, (w - ow) / 2, oh, ow);
        } else {
            x = chw.clone();
        }
        Standardizer.apply(x, c, oh * ow, cfg, stats);
        return x;
    }

    /** Keras {@code apply_channel_shift}: adds {@code intensity} to every value, clipped to the image's min and max. */
    static void channelShift(float[] x, double intensity) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        for (int i = 0; i < x.length; i++) {
            double v = x[i] + intensity;
            x[i] = (float) (v < min ? min : v > max ? max : v);
        }
    }

    /** Mirrors every row (Keras {@code flip_axis(x, col_axis)}). */
    static void flipHorizontal(float[] x, int c, int h, int w) {
        for (int row = 0, rows = c * h; row < rows; row++) {
            for (int i = row * w, j = i + w - 1; i < j; i++, j--) {
                float t = x[i];
                x[i] = x[j];
                x[j] = t;
            }
        }
    }

    /** Mirrors every column (Keras {@code flip_axis(x, row_axis)}). */
    static void flipVertical(float[] x, int c, int h, int w) {
        float[] line = new float[w];
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int top = 0, bottom = h - 1; top < bottom; top++, bottom--) {
                System.arraycopy(x, base + top * w, line, 0, w);
                System.arraycopy(x, base + bottom * w, x, base + top * w, w);
                System.arraycopy(line, 0, x, base + bottom * w, w);
            }
        }
    }

    /**
     * Keras {@code apply_brightness_shift(x, b, scale=False)} on 0..255 values: PIL's {@code ImageEnhance.Brightness}
     * on {@code x.astype('uint8')}, i.e. {@code trunc(clip(float(b) * trunc(v), 0, 255))}.
     */
    static void brightness(float[] x, double factor) {
        float b = (float) factor;
        for (int i = 0; i < x.length; i++) {
            float t = b * (float) (int) x[i];
            x[i] = t <= 0f ? 0f : t >= 255f ? 255f : (float) (int) t;
        }
    }

    /** The {@code [c, oh, ow]} window at (top, left). */
    static float[] crop(float[] x, int c, int h, int w, int top, int left, int oh, int ow) {
        if (top < 0 || left < 0 || top + oh > h || left + ow > w) {
            throw new IllegalArgumentException("crop " + oh + "x" + ow + " at (" + top + ", " + left
                    + ") does not fit a " + h + "x" + w + " image");
        }
        float[] out = new float[c * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < oh; r++) {
                System.arraycopy(x, (ch * h + top + r) * w + left, out, (ch * oh + r) * ow, ow);
            }
        }
        return out;
    }

    private static void checkShape(float[] chw, int c, int h, int w) {
        if (c < 1 || h < 1 || w < 1 || chw.length != (long) c * h * w) {
            throw new IllegalArgumentException("expected a [" + c + ", " + h + ", " + w + "] image ("
                    + ((long) c * h * w) + " values), got " + chw.length + " values");
        }
    }
}
