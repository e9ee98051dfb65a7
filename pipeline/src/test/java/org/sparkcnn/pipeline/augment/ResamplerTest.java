package org.sparkcnn.pipeline.augment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ResamplerTest {
    private static final double CVAL = 7.0;

    private static AffineMatrix matrix(double[] m) {
        return new AffineMatrix(m[0], m[1], m[2], m[3], m[4], m[5]);
    }

    private static float[] resample(float[] img, int c, int h, int w, AffineMatrix m, FillMode mode) {
        float[] out = new float[img.length];
        Resampler.bilinear(img, c, h, w, m, mode, CVAL, out);
        return out;
    }

    @Test
    void matchesScipyBitForBitForEveryFillModeWithTheSameMatrix() {
        Map<FillMode, float[]> mixed = Map.of(FillMode.NEAREST, Goldens.SCIPY_MIXED_NEAREST,
                FillMode.CONSTANT, Goldens.SCIPY_MIXED_CONSTANT, FillMode.REFLECT, Goldens.SCIPY_MIXED_REFLECT,
                FillMode.WRAP, Goldens.SCIPY_MIXED_WRAP);
        Map<FillMode, float[]> far = Map.of(FillMode.NEAREST, Goldens.SCIPY_FAR_NEAREST,
                FillMode.CONSTANT, Goldens.SCIPY_FAR_CONSTANT, FillMode.REFLECT, Goldens.SCIPY_FAR_REFLECT,
                FillMode.WRAP, Goldens.SCIPY_FAR_WRAP);
        for (FillMode mode : FillMode.values()) {
            assertArrayEquals(mixed.get(mode), resample(Goldens.IMAGE_5X7, 1, 5, 7,
                    matrix(Goldens.MATRIX_MIXED), mode), "rotation+shift+shear+zoom, " + mode);
            assertArrayEquals(far.get(mode), resample(Goldens.IMAGE_5X7, 1, 5, 7,
                    matrix(Goldens.MATRIX_FAR), mode), "shift beyond the image, " + mode);
        }
    }

    /** Three identical rows 10 20 30 40 50, columns shifted through the affine path. */
    private static float[] shiftedRow(double ty, FillMode mode) {
        float[] img = new float[15];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 5; c++) {
                img[r * 5 + c] = 10 * (c + 1);
            }
        }
        AugmentParams p = new AugmentParams(0, 0, ty, 0, 1, 1, false, false, Double.NaN, 0, 0, 0);
        float[] out = resample(img, 1, 3, 5, AffineMatrix.keras(p, 3, 5), mode);
        float[] middle = new float[5];
        System.arraycopy(out, 5, middle, 0, 5);
        return middle;
    }

    @Test
    void eachFillModeOnAKnownBorderRowAsScipy() {
        // Expected rows: scipy.ndimage.affine_transform(x, eye(2), offset=[0, ty], order=1, mode=..., cval=7).
        // ty = +2: output column c reads input column c + 2 (the content moves left), the right border is filled.
        assertArrayEquals(new float[] {30, 40, 50, 50, 50}, shiftedRow(2, FillMode.NEAREST), "nearest: dddd");
        assertArrayEquals(new float[] {30, 40, 50, 7, 7}, shiftedRow(2, FillMode.CONSTANT), "constant: cval");
        assertArrayEquals(new float[] {30, 40, 50, 50, 40}, shiftedRow(2, FillMode.REFLECT), "reflect: dcba");
        assertArrayEquals(new float[] {30, 40, 50, 20, 30}, shiftedRow(2, FillMode.WRAP),
                "scipy wrap: period size-1, so column 5 reads column 1");
        assertArrayEquals(new float[] {10, 10, 10, 20, 30}, shiftedRow(-2, FillMode.NEAREST), "nearest: aaaa");
        assertArrayEquals(new float[] {7, 7, 10, 20, 30}, shiftedRow(-2, FillMode.CONSTANT));
        assertArrayEquals(new float[] {20, 10, 10, 20, 30}, shiftedRow(-2, FillMode.REFLECT), "reflect: ..ba|ab..");
        assertArrayEquals(new float[] {30, 40, 10, 20, 30}, shiftedRow(-2, FillMode.WRAP));
        // Half-pixel shifts interpolate with the extended signal (constant never interpolates with cval).
        assertArrayEquals(new float[] {15, 25, 35, 45, 50}, shiftedRow(0.5, FillMode.NEAREST));
        assertArrayEquals(new float[] {15, 25, 35, 45, 7}, shiftedRow(0.5, FillMode.CONSTANT));
        assertArrayEquals(new float[] {15, 25, 35, 45, 50}, shiftedRow(0.5, FillMode.REFLECT));
        assertArrayEquals(new float[] {15, 25, 35, 45, 15}, shiftedRow(0.5, FillMode.WRAP));
        assertArrayEquals(new float[] {10, 15, 25, 35, 45}, shiftedRow(-0.5, FillMode.NEAREST));
        assertArrayEquals(new float[] {7, 15, 25, 35, 45}, shiftedRow(-0.5, FillMode.CONSTANT));
        assertArrayEquals(new float[] {10, 15, 25, 35, 45}, shiftedRow(-0.5, FillMode.REFLECT));
        assertArrayEquals(new float[] {45, 15, 25, 35, 45}, shiftedRow(-0.5, FillMode.WRAP));
    }

    /** Where whole-pixel coordinate {@code i} reads from, written out independently of the implementation. */
    private static int source(int i, int n, FillMode mode) {
        if (i >= 0 && i < n) {
            return i;
        }
        return switch (mode) {
            case NEAREST -> i < 0 ? 0 : n - 1;
            case CONSTANT -> -1;
            case REFLECT -> i < 0 ? -i - 1 : 2 * n - 1 - i;          // one reflection is enough for small shifts
            case WRAP -> i < 0 ? i + (n - 1) : i - (n - 1);         // scipy's period n - 1
        };
    }

    @ParameterizedTest
    @EnumSource(FillMode.class)
    void integerShiftMovesEveryPixelByExactlyThatMany(FillMode mode) {
        int c = 2;
        int h = 6;
        int w = 8;
        float[] img = new float[c * h * w];
        for (int i = 0; i < img.length; i++) {
            img[i] = (i * 37 % 251) + 1;
        }
        int tx = 2;
        int ty = -3;
        AugmentParams p = new AugmentParams(0, tx, ty, 0, 1, 1, false, false, Double.NaN, 0, 0, 0);
        float[] out = resample(img, c, h, w, AffineMatrix.keras(p, h, w), mode);
        float[] expected = new float[img.length];
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < h; r++) {
                for (int col = 0; col < w; col++) {
                    int sr = source(r + tx, h, mode);
                    int sc = source(col + ty, w, mode);
                    expected[(ch * h + r) * w + col] = sr < 0 || sc < 0 ? (float) CVAL : img[(ch * h + sr) * w + sc];
                }
            }
        }
        assertArrayEquals(expected, out);
    }
}
