package org.sparkcnn.pipeline.augment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AugmentationTest {
    /** No rescale, nothing random: pixels must come out untouched. */
    private static final AugmentConfig RAW = AugmentConfig.builder().rescale(0).build();

    private static AugmentParams params(double theta, double tx, double ty, boolean flipH, boolean flipV) {
        return new AugmentParams(theta, tx, ty, 0, 1, 1, flipH, flipV, Double.NaN, 0, 0, 0);
    }

    /** [c, h, w] with value 100*c + 10*row + col + 1: never 0, every pixel distinct. */
    private static float[] coded(int c, int h, int w) {
        float[] x = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < h; r++) {
                for (int col = 0; col < w; col++) {
                    x[(ch * h + r) * w + col] = 100 * ch + 10 * r + col + 1;
                }
            }
        }
        return x;
    }

    @Test
    void identitySettingsLeavePixelsBitExact() {
        float[] in = {0f, 1.5f, 254.99f, 255f, 17f, 3.25f, 99f, 128f, 7f, 0.5f, 200f, 1e-3f};
        float[] out = Augmentation.apply(in, 3, 2, 2, AugmentParams.IDENTITY, RAW);
        assertArrayEquals(in, out);
        assertNotSame(in, out);
        AugmentParams drawn = ParamSampler.draw(RAW, 2, 2, 42L, 3, 99L);
        assertArrayEquals(in, Augmentation.apply(in, 3, 2, 2, drawn, RAW), "identity config draws identity params");
    }

    @Test
    void defaultRescaleIsAFloatMultiplyByOneOver255() {
        float[] in = {0f, 1f, 128f, 255f};
        float[] out = Augmentation.apply(in, 1, 2, 2, AugmentParams.IDENTITY, AugmentConfig.defaults());
        float scale = (float) (1.0 / 255.0);
        assertArrayEquals(new float[] {0f, scale, 128f * scale, 1f}, out);
        assertEquals(1f, out[3], "255 becomes exactly 1");
    }

    @Test
    void horizontalFlipEqualsTheMirroredArray() {
        float[] in = coded(2, 2, 3);   // rows: 1 2 3 | 11 12 13 || 101 102 103 | 111 112 113
        float[] out = Augmentation.apply(in, 2, 2, 3, params(0, 0, 0, true, false), RAW);
        assertArrayEquals(new float[] {3, 2, 1, 13, 12, 11, 103, 102, 101, 113, 112, 111}, out);
    }

    @Test
    void verticalFlipEqualsTheUpsideDownArray() {
        float[] in = coded(2, 3, 2);   // rows: 1 2 | 11 12 | 21 22 || 101 102 | 111 112 | 121 122
        float[] out = Augmentation.apply(in, 2, 3, 2, params(0, 0, 0, false, true), RAW);
        assertArrayEquals(new float[] {21, 22, 11, 12, 1, 2, 121, 122, 111, 112, 101, 102}, out);
    }

    private static float[] transpose(float[] x, int c, int n) {
        float[] t = new float[x.length];
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < n; r++) {
                for (int col = 0; col < n; col++) {
                    t[(ch * n + r) * n + col] = x[(ch * n + col) * n + r];
                }
            }
        }
        return t;
    }

    @Test
    void rotationBy90DegreesEqualsTransposePlusFlip() {
        for (int n : new int[] {4, 5}) {
            float[] in = coded(2, n, n);
            float[] ccw = transpose(in, 2, n);
            Augmentation.flipVertical(ccw, 2, n, n);
            assertArrayEquals(ccw, Augmentation.apply(in, 2, n, n, params(90, 0, 0, false, false), RAW),
                    "+90 degrees: counter-clockwise (numpy rot90), n=" + n);
            float[] cw = transpose(in, 2, n);
            Augmentation.flipHorizontal(cw, 2, n, n);
            assertArrayEquals(cw, Augmentation.apply(in, 2, n, n, params(-90, 0, 0, false, false), RAW),
                    "-90 degrees: clockwise, n=" + n);
        }
    }

    @Test
    void zoomOfOneIsTheIdentity() {
        float[] in = coded(3, 5, 4);
        AugmentParams zoomOne = new AugmentParams(0, 0, 0, 0, 1, 1, false, false, Double.NaN, 0, 0, 0);
        assertArrayEquals(in, Augmentation.apply(in, 3, 5, 4, zoomOne, RAW));
        AugmentConfig zeroZoom = RAW.toBuilder().zoomRange(0).build();
        for (long id = 0; id < 100; id++) {
            AugmentParams p = ParamSampler.draw(zeroZoom, 5, 4, 1L, 0, id);
            assertEquals(1.0, p.zx());
            assertEquals(1.0, p.zy());
            assertArrayEquals(in, Augmentation.apply(in, 3, 5, 4, p, zeroZoom));
        }
    }

    @Test
    void theAffineStepComesBeforeTheFlipsAsInKeras() {
        float[] in = coded(1, 4, 5);
        float[] shifted = Augmentation.apply(in, 1, 4, 5, params(0, 1, 2, false, false), RAW);
        Augmentation.flipHorizontal(shifted, 1, 4, 5);
        assertArrayEquals(shifted, Augmentation.apply(in, 1, 4, 5, params(0, 1, 2, true, false), RAW));
    }

    @ParameterizedTest
    @EnumSource(FillMode.class)
    void matchesKerasApplyAffineTransformForEachFillMode(FillMode mode) {
        Map<FillMode, float[]> keras = Map.of(FillMode.NEAREST, Goldens.KERAS_NEAREST,
                FillMode.CONSTANT, Goldens.KERAS_CONSTANT, FillMode.REFLECT, Goldens.KERAS_REFLECT,
                FillMode.WRAP, Goldens.KERAS_WRAP);
        AugmentConfig cfg = RAW.toBuilder().fillMode(mode).cval(7).build();
        float[] out = Augmentation.apply(Goldens.IMAGE_2X6X6, 2, 6, 6, Goldens.KERAS, cfg);
        assertArrayEquals(keras.get(mode), out, 1e-3f);
    }

    @Test
    void channelShiftAddsOneIntensityClippedToTheImagesMinAndMax() {
        float[] x = {10, 50, 200, 30, 60, 90};
        Augmentation.channelShift(x, 30);
        assertArrayEquals(new float[] {40, 80, 200, 60, 90, 120}, x);
        float[] y = {10, 50, 200, 30, 60, 90};
        Augmentation.channelShift(y, -25);
        assertArrayEquals(new float[] {10, 25, 175, 10, 35, 65}, y);
    }

    @Test
    void brightnessMatchesKerasThroughPil() {
        float[] x = Goldens.BRIGHTNESS_INPUT.clone();
        Augmentation.brightness(x, 1.37);
        assertArrayEquals(Goldens.PIL_BRIGHTNESS_1_37, x);
        float[] y = Goldens.BRIGHTNESS_INPUT.clone();
        Augmentation.brightness(y, 0.42);
        assertArrayEquals(Goldens.PIL_BRIGHTNESS_0_42, y);
    }

    @Test
    void randomCropKeepsTheDrawnWindowAndItsSize() {
        float[] in = coded(2, 4, 5);
        AugmentConfig cfg = RAW.toBuilder().randomCrop(2, 3).build();
        AugmentParams p = new AugmentParams(0, 0, 0, 0, 1, 1, false, false, Double.NaN, 0, 1, 2);
        float[] out = Augmentation.apply(in, 2, 4, 5, p, cfg);
        assertArrayEquals(new float[] {13, 14, 15, 23, 24, 25, 113, 114, 115, 123, 124, 125}, out);
        assertThrows(IllegalArgumentException.class, () -> Augmentation.apply(in, 2, 4, 5,
                new AugmentParams(0, 0, 0, 0, 1, 1, false, false, Double.NaN, 0, 3, 0), cfg));
    }

    @Test
    void standardizeCentresTheCropToTheTrainingSize() {
        float[] in = coded(1, 5, 6);
        AugmentConfig cfg = RAW.toBuilder().randomCrop(3, 2).build();
        assertArrayEquals(new float[] {13, 14, 23, 24, 33, 34},
                Augmentation.standardize(in, 1, 5, 6, cfg, null));
    }

    @Test
    void standardisationFollowsKerasOrder() {
        // numpy float32, Keras' standardize: x *= 0.5; x -= mean(x); x /= std(x) + 1e-6; x -= mean_c; x /= std_c + 1e-6
        float[] in = {2, 4, 6, 8, 10, 30};
        AugmentConfig cfg = AugmentConfig.builder().rescale(0.5).samplewiseStdNormalization(true)
                .featurewiseStdNormalization(true).build();
        FeatureStats stats = new FeatureStats(new float[] {0.25f, -0.5f}, new float[] {2f, 0.5f});
        float[] out = Augmentation.apply(in, 2, 1, 3, AugmentParams.IDENTITY, cfg, stats);
        assertArrayEquals(new float[] {-0.5546686053276062f, -0.44725143909454346f, -0.3398342728614807f,
                0.570330023765564f, 0.9999979734420776f, 5.296677589416504f}, out, 2e-6f);
    }

    @Test
    void featurewiseWithoutStatsFailsLoudly() {
        AugmentConfig cfg = AugmentConfig.builder().featurewiseCenter(true).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Augmentation.apply(new float[4], 1, 2, 2, AugmentParams.IDENTITY, cfg));
        assertEquals(true, e.getMessage().contains("FeatureStats"), e.getMessage());
    }

    @Test
    void theInputIsNeverModified() {
        float[] in = coded(3, 6, 7);
        float[] copy = in.clone();
        AugmentConfig cfg = AugmentConfig.builder().rotationRange(40).widthShiftRange(0.2).heightShiftRange(0.2)
                .shearRange(20).zoomRange(0.3).horizontalFlip(true).verticalFlip(true).brightnessRange(0.5, 1.5)
                .channelShiftRange(30).randomCrop(4, 5).samplewiseStdNormalization(true).build();
        for (long id = 0; id < 20; id++) {
            Augmentation.apply(in, 3, 6, 7, ParamSampler.draw(cfg, 6, 7, 5L, 1, id), cfg);
        }
        assertArrayEquals(copy, in);
    }

    @Test
    void aWrongShapeIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Augmentation.apply(new float[10], 3, 2, 2, AugmentParams.IDENTITY, RAW));
    }
}
