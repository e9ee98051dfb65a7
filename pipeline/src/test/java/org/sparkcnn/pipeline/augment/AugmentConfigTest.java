package org.sparkcnn.pipeline.augment;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentConfigTest {

    @Test
    void defaultsAreIdentityWithRescaleOneOver255() {
        AugmentConfig d = AugmentConfig.defaults();
        assertEquals(0.00392156862745098, d.rescale());
        assertEquals(1.0 / 255.0, d.rescale());
        assertEquals(0, d.rotationRange());
        assertEquals(1, d.zoomLow());
        assertEquals(1, d.zoomHigh());
        assertEquals(FillMode.NEAREST, d.fillMode());
        assertFalse(d.hasBrightness());
        assertFalse(d.hasRandomCrop());
        assertFalse(d.needsFeatureStats());
        assertTrue(d.isIdentityGeometry());
        assertTrue(d.isIdentity());
        assertEquals(64, d.outputHeight(64));
    }

    @Test
    void identityPredicatesSeeEachKnob() {
        AugmentConfig d = AugmentConfig.defaults();
        assertFalse(d.toBuilder().rotationRange(1).build().isIdentityGeometry());
        assertFalse(d.toBuilder().widthShiftRange(0.1).build().isIdentityGeometry());
        assertFalse(d.toBuilder().heightShiftRange(2).build().isIdentityGeometry());
        assertFalse(d.toBuilder().shearRange(0.2).build().isIdentityGeometry());
        assertFalse(d.toBuilder().zoomRange(0.2).build().isIdentityGeometry());
        AugmentConfig flip = d.toBuilder().horizontalFlip(true).build();
        assertTrue(flip.isIdentityGeometry());
        assertFalse(flip.isIdentity());
        assertFalse(d.toBuilder().verticalFlip(true).build().isIdentity());
        assertFalse(d.toBuilder().brightnessRange(0.9, 1.1).build().isIdentity());
        assertFalse(d.toBuilder().channelShiftRange(10).build().isIdentity());
        assertFalse(d.toBuilder().randomCrop(8, 8).build().isIdentity());
        assertTrue(d.toBuilder().samplewiseCenter(true).rescale(0).build().isIdentity(),
                "standardisation is not a random transform");
    }

    @Test
    void stdNormalisationImpliesCentringAsInKeras() {
        AugmentConfig c = AugmentConfig.builder().featurewiseStdNormalization(true)
                .samplewiseStdNormalization(true).build();
        assertTrue(c.featurewiseCenter());
        assertTrue(c.samplewiseCenter());
        assertTrue(c.needsFeatureStats());
    }

    @Test
    void zoomFloatMeansOneMinusToOnePlus() {
        AugmentConfig c = AugmentConfig.builder().zoomRange(0.25).build();
        assertEquals(0.75, c.zoomLow());
        assertEquals(1.25, c.zoomHigh());
    }

    @Test
    void cropSetsTheOutputSize() {
        AugmentConfig c = AugmentConfig.builder().randomCrop(48, 40).build();
        assertEquals(48, c.outputHeight(64));
        assertEquals(40, c.outputWidth(64));
    }

    @Test
    void outOfRangeValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> AugmentConfig.builder().rescale(-1).build());
        assertThrows(IllegalArgumentException.class, () -> AugmentConfig.builder().zoomRange(1.2, 0.8).build());
        assertThrows(IllegalArgumentException.class, () -> AugmentConfig.builder().zoomRange(1).build());
        assertThrows(IllegalArgumentException.class, () -> AugmentConfig.builder().shearRange(90).build());
        assertThrows(IllegalArgumentException.class, () -> AugmentConfig.builder().brightnessRange(1, Double.NaN).build());
        assertThrows(IllegalArgumentException.class, () -> AugmentConfig.builder().randomCrop(8, 0).build());
        assertThrows(IllegalArgumentException.class, () -> AugmentConfig.builder().cval(300).build());
        assertThrows(IllegalArgumentException.class, () -> AugmentConfig.builder().fillMode(null).build());
    }

    @Test
    void survivesJavaSerialisation() throws Exception {
        AugmentConfig c = AugmentConfig.builder().shearRange(0.2).zoomRange(0.2).horizontalFlip(true)
                .brightnessRange(0.8, 1.2).fillMode(FillMode.WRAP).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertEquals(c, in.readObject());
        }
    }
}
