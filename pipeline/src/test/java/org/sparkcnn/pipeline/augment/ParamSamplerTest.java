package org.sparkcnn.pipeline.augment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParamSamplerTest {
    private static final int DRAWS = 10_000;
    private static final int H = 200;
    private static final int W = 100;

    private static final AugmentConfig EVERYTHING = AugmentConfig.builder()
            .rotationRange(30).heightShiftRange(0.2).widthShiftRange(0.1).shearRange(15).zoomRange(0.8, 1.2)
            .horizontalFlip(true).verticalFlip(true).brightnessRange(0.5, 1.5).channelShiftRange(20)
            .randomCrop(150, 80).build();

    private static List<AugmentParams> draws(AugmentConfig cfg) {
        List<AugmentParams> out = new ArrayList<>(DRAWS);
        for (long id = 0; id < DRAWS; id++) {
            out.add(ParamSampler.draw(cfg, H, W, 42L, 1, id));
        }
        return out;
    }

    /** Every value in [low, high), and the extremes within 2% of the range's width from the bounds. */
    private static void assertCovers(List<AugmentParams> ps, ToDoubleFunction<AugmentParams> f, double low,
                                     double high, String what) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (AugmentParams p : ps) {
            double v = f.applyAsDouble(p);
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double slack = 0.02 * (high - low);
        assertTrue(min >= low && max < high, what + " drawn in [" + min + ", " + max + "], outside [" + low + ", " + high + ")");
        assertTrue(min < low + slack && max > high - slack, what + " drawn in [" + min + ", " + max
                + "], does not cover [" + low + ", " + high + ")");
    }

    @Test
    void drawsStayInsideTheirRangesAndCoverThem() {
        List<AugmentParams> ps = draws(EVERYTHING);
        assertCovers(ps, AugmentParams::theta, -30, 30, "theta (degrees)");
        assertCovers(ps, AugmentParams::tx, -0.2 * H, 0.2 * H, "tx (fraction 0.2 of the height, in pixels)");
        assertCovers(ps, AugmentParams::ty, -0.1 * W, 0.1 * W, "ty (fraction 0.1 of the width, in pixels)");
        assertCovers(ps, AugmentParams::shear, -15, 15, "shear (degrees)");
        assertCovers(ps, AugmentParams::zx, 0.8, 1.2, "zx");
        assertCovers(ps, AugmentParams::zy, 0.8, 1.2, "zy");
        assertCovers(ps, AugmentParams::brightness, 0.5, 1.5, "brightness");
        assertCovers(ps, AugmentParams::channelShift, -20, 20, "channel shift");
        long flipsH = ps.stream().filter(AugmentParams::flipH).count();
        long flipsV = ps.stream().filter(AugmentParams::flipV).count();
        assertTrue(flipsH > 0.48 * DRAWS && flipsH < 0.52 * DRAWS, "horizontal flips: " + flipsH);
        assertTrue(flipsV > 0.48 * DRAWS && flipsV < 0.52 * DRAWS, "vertical flips: " + flipsV);
        Set<Integer> ys = new HashSet<>();
        Set<Integer> xs = new HashSet<>();
        for (AugmentParams p : ps) {
            ys.add(p.cropY());
            xs.add(p.cropX());
        }
        assertEquals(51, ys.size(), "every crop row 0..50 is drawn");
        assertEquals(0, Collections.min(ys));
        assertEquals(50, Collections.max(ys));
        assertEquals(21, xs.size(), "every crop column 0..20 is drawn");
        assertEquals(20, Collections.max(xs));
    }

    @Test
    void zxAndZyAreSeparateDraws() {
        long differ = draws(EVERYTHING).stream().filter(p -> p.zx() != p.zy()).count();
        assertEquals(DRAWS, differ);
    }

    @Test
    void shiftRangesOfOneOrMoreArePixels() {
        AugmentConfig cfg = AugmentConfig.builder().heightShiftRange(3).widthShiftRange(1).build();
        List<AugmentParams> ps = draws(cfg);
        assertCovers(ps, AugmentParams::tx, -3, 3, "tx (3 pixels)");
        assertCovers(ps, AugmentParams::ty, -1, 1, "ty (1.0 means one pixel, as Keras)");
    }

    @Test
    void disabledKnobsDrawNeutralValues() {
        for (long id = 0; id < 1000; id++) {
            assertEquals(AugmentParams.IDENTITY, ParamSampler.draw(AugmentConfig.defaults(), H, W, 7L, 2, id));
        }
    }

    @Test
    void sameSeedEpochAndIdGiveTheSameParamsInAnyOrder() {
        Map<Long, AugmentParams> forward = new HashMap<>();
        for (long id = 0; id < 1000; id++) {
            forward.put(id, ParamSampler.draw(EVERYTHING, H, W, 42L, 3, id));
        }
        List<Long> shuffled = new ArrayList<>(forward.keySet());
        Collections.shuffle(shuffled, new Random(1));
        for (long id : shuffled) {
            assertEquals(forward.get(id), ParamSampler.draw(EVERYTHING, H, W, 42L, 3, id), "id " + id);
        }
    }

    @Test
    void anotherEpochOrSeedGivesOtherParams() {
        for (long id = 0; id < 1000; id++) {
            AugmentParams p = ParamSampler.draw(EVERYTHING, H, W, 42L, 3, id);
            AugmentParams nextEpoch = ParamSampler.draw(EVERYTHING, H, W, 42L, 4, id);
            AugmentParams otherSeed = ParamSampler.draw(EVERYTHING, H, W, 43L, 3, id);
            assertNotEquals(p.theta(), nextEpoch.theta(), "id " + id);
            assertNotEquals(p.zx(), nextEpoch.zx(), "id " + id);
            assertNotEquals(p.theta(), otherSeed.theta(), "id " + id);
        }
    }

    @Test
    void seedsOfNeighbouringEpochsAndIdsAreAllDistinct() {
        Set<Long> seeds = new HashSet<>();
        for (int epoch = 0; epoch < 100; epoch++) {
            for (long id = 0; id < 100; id++) {
                seeds.add(ParamSampler.seedOf(42L, epoch, id));
            }
        }
        assertEquals(10_000, seeds.size());
    }

    @Test
    void switchingOneKnobDoesNotChangeWhatTheOthersDraw() {
        AugmentConfig rotationOnly = AugmentConfig.builder().rotationRange(30).build();
        AugmentConfig rotationAndMore = rotationOnly.toBuilder().horizontalFlip(true).zoomRange(0.2).build();
        for (long id = 0; id < 1000; id++) {
            assertEquals(ParamSampler.draw(rotationOnly, H, W, 9L, 0, id).theta(),
                    ParamSampler.draw(rotationAndMore, H, W, 9L, 0, id).theta());
        }
    }

    @Test
    void aCropLargerThanTheImageIsRejected() {
        AugmentConfig cfg = AugmentConfig.builder().randomCrop(300, 10).build();
        assertThrows(IllegalArgumentException.class, () -> ParamSampler.draw(cfg, H, W, 1L, 0, 0L));
    }

    @Test
    void describePrintsEveryDrawnParameter() {
        AugmentParams p = new AugmentParams(12.5, -3.25, 0, 0.1, 0.95, 1.1, true, false, Double.NaN, -4.5, 3, 7);
        assertEquals("theta=+12.500deg tx=-3.250px(rows) ty=+0.000px(cols) shear=+0.100deg zx=0.9500 zy=1.1000 "
                + "flipH=yes flipV=no brightness=off channelShift=-4.50 crop=(y=3,x=7)", p.describe());
        AugmentParams b = new AugmentParams(0, 0, 0, 0, 1, 1, false, true, 1.25, 0, 0, 0);
        assertTrue(b.describe().contains("brightness=1.2500"), b.describe());
        assertEquals("AugmentParams[" + p.describe() + "]", p.toString());
    }
}
