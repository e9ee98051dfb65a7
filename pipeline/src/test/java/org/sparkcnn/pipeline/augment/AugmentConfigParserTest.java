package org.sparkcnn.pipeline.augment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparkcnn.pipeline.error.InvalidConfigException;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentConfigParserTest {

    private static AugmentConfig parse(String hocon) {
        return AugmentConfigParser.parse(ConfigFactory.parseString(hocon));
    }

    private static Config reference() {
        return ConfigFactory.parseResources(AugmentConfigParserTest.class.getClassLoader(),
                org.sparkcnn.pipeline.config.ConfigLoader.REFERENCE);
    }

    @Test
    void noBlockGivesTheDefaults() {
        assertEquals(AugmentConfig.defaults(), parse(""));
        assertEquals(AugmentConfig.defaults(), parse("augment {}"));
    }

    @Test
    void theReferenceBlockListsEveryKeyWithItsDefault() {
        Config ref = reference();
        Set<String> keys = ref.entrySet().stream().map(e -> e.getKey()).filter(k -> k.startsWith("augment."))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(AugmentConfigParser.KEYS), keys);
        assertEquals(AugmentConfig.defaults(), AugmentConfigParser.parse(ref));
    }

    @Test
    void theKerasTutorialSettings() {
        AugmentConfig c = parse("augment { rescale = 0.00392156862745098, shear-range = 0.2, zoom-range = 0.2, "
                + "horizontal-flip = true, width-shift-range = 0.1, height-shift-range = 0.1 }");
        assertEquals(AugmentConfig.builder().shearRange(0.2).zoomRange(0.8, 1.2).horizontalFlip(true)
                .widthShiftRange(0.1).heightShiftRange(0.1).build(), c);
    }

    @Test
    void zoomAsAFloatOrAPair() {
        AugmentConfig f = parse("augment.zoom-range = 0.2");
        assertEquals(0.8, f.zoomLow());
        assertEquals(1.2, f.zoomHigh());
        AugmentConfig p = parse("augment.zoom-range = [0.5, 1.5]");
        assertEquals(0.5, p.zoomLow());
        assertEquals(1.5, p.zoomHigh());
        AugmentConfig one = parse("augment.zoom-range = [1, 1]");
        assertTrue(one.isIdentityGeometry());
        AugmentConfig zero = parse("augment.zoom-range = 0");
        assertTrue(zero.isIdentityGeometry());
    }

    @Test
    void setOverridesArriveAsStringsAndStillParse() {
        // ConfigLoader turns --set key=value into a string value.
        Config c = ConfigFactory.empty()
                .withValue("augment.zoom-range", ConfigValueFactory.fromAnyRef("[0.7, 1.4]"))
                .withValue("augment.brightness-range", ConfigValueFactory.fromAnyRef("[0.5,1.5]"))
                .withValue("augment.random-crop", ConfigValueFactory.fromAnyRef("[]"))
                .withValue("augment.rotation-range", ConfigValueFactory.fromAnyRef("15"))
                .withValue("augment.horizontal-flip", ConfigValueFactory.fromAnyRef("true"))
                .withValue("augment.fill-mode", ConfigValueFactory.fromAnyRef("Reflect"));
        AugmentConfig a = AugmentConfigParser.parse(c);
        assertEquals(0.7, a.zoomLow());
        assertEquals(1.4, a.zoomHigh());
        assertEquals(0.5, a.brightnessLow());
        assertEquals(1.5, a.brightnessHigh());
        assertFalse(a.hasRandomCrop());
        assertEquals(15, a.rotationRange());
        assertTrue(a.horizontalFlip());
        assertEquals(FillMode.REFLECT, a.fillMode());
        AugmentConfig z = AugmentConfigParser.parse(ConfigFactory.empty()
                .withValue("augment.zoom-range", ConfigValueFactory.fromAnyRef("0.3")));
        assertEquals(0.7, z.zoomLow());
        assertEquals(1.3, z.zoomHigh());
    }

    @Test
    void everyOtherKeyIsRead() {
        AugmentConfig c = parse("""
                augment {
                  rescale = 0
                  rotation-range = 40
                  vertical-flip = true
                  brightness-range = [0.25, 2]
                  channel-shift-range = 12.5
                  fill-mode = constant
                  cval = 128
                  random-crop = [48, 40]
                  featurewise-center = true
                  featurewise-std-normalization = true
                  samplewise-center = true
                  samplewise-std-normalization = true
                }
                image { height = 64, width = 64 }
                """);
        assertEquals(AugmentConfig.builder().rescale(0).rotationRange(40).verticalFlip(true)
                .brightnessRange(0.25, 2).channelShiftRange(12.5).fillMode(FillMode.CONSTANT).cval(128)
                .randomCrop(48, 40).featurewiseCenter(true).featurewiseStdNormalization(true)
                .samplewiseCenter(true).samplewiseStdNormalization(true).build(), c);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "augment.rescale = -1                          | augment.rescale                       | -1.0",
            "augment.rescale = one                         | augment.rescale                       | one",
            "augment.rotation-range = 400                  | augment.rotation-range                | 400.0",
            "augment.width-shift-range = -0.1              | augment.width-shift-range             | -0.1",
            "augment.height-shift-range = [1]              | augment.height-shift-range            | [1]",
            "augment.shear-range = 90                      | augment.shear-range                   | 90.0",
            "augment.shear-range = -2                      | augment.shear-range                   | -2.0",
            "augment.zoom-range = 1.0                      | augment.zoom-range                    | 1.0",
            "augment.zoom-range = -0.2                     | augment.zoom-range                    | -0.2",
            "augment.zoom-range = [0.5]                    | augment.zoom-range                    | [0.5]",
            "augment.zoom-range = [1.5, 0.5]               | augment.zoom-range                    | [1.5,0.5]",
            "augment.zoom-range = [0, 1]                   | augment.zoom-range                    | [0,1]",
            "augment.zoom-range = [a, 1]                   | augment.zoom-range                    | a",
            "augment.zoom-range = wide                     | augment.zoom-range                    | wide",
            "augment.horizontal-flip = 3                   | augment.horizontal-flip               | 3",
            "augment.vertical-flip = maybe                 | augment.vertical-flip                 | maybe",
            "augment.brightness-range = 0.5                | augment.brightness-range              | 0.5",
            "augment.brightness-range = [1, 2, 3]          | augment.brightness-range              | [1,2,3]",
            "augment.brightness-range = [-0.5, 1]          | augment.brightness-range              | [-0.5,1]",
            "augment.brightness-range = [2, 1]             | augment.brightness-range              | [2,1]",
            "augment.channel-shift-range = 300             | augment.channel-shift-range           | 300.0",
            "augment.fill-mode = mirror                    | augment.fill-mode                     | mirror",
            "augment.cval = 256                            | augment.cval                          | 256.0",
            "augment.cval = black                          | augment.cval                          | black",
            "augment.random-crop = [10]                    | augment.random-crop                   | [10]",
            "augment.random-crop = [10.5, 3]               | augment.random-crop                   | [10.5,3]",
            "augment.random-crop = [0, 3]                  | augment.random-crop                   | [0,3]",
            "augment.random-crop = 5                       | augment.random-crop                   | 5",
            "augment.featurewise-center = 2                | augment.featurewise-center            | 2",
            "augment.featurewise-std-normalization = x     | augment.featurewise-std-normalization | x",
            "augment.samplewise-center = 0.5               | augment.samplewise-center             | 0.5",
            "augment.samplewise-std-normalization = no-way | augment.samplewise-std-normalization  | no-way",
            "augment.zoom = 0.2                            | augment.zoom                          | 0.2",
            "augment = 5                                   | augment                               | 5",
    })
    void everyErrorNamesItsKeyAndValue(String hocon, String key, String value) {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parse(hocon));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        assertTrue(e.getMessage().replace(" ", "").contains(value), "names the value " + value + ": " + e.getMessage());
    }

    @Test
    void aCropLargerThanTheImageNamesTheKeyAndTheImageSize() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> parse("augment.random-crop = [72, 40]\nimage { height = 64, width = 64 }"));
        assertEquals("augment.random-crop", e.key());
        assertTrue(e.getMessage().contains("64x64"), e.getMessage());
    }

    @Test
    void theUnknownKeyMessageListsTheValidKeys() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> parse("augment.zoom = 0.2"));
        for (String key : List.of("augment.zoom-range", "augment.shear-range")) {
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }
}
