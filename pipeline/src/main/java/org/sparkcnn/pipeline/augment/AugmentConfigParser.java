package org.sparkcnn.pipeline.augment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.sparkcnn.pipeline.error.InvalidConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the HOCON block {@code augment { }} into a validated {@link AugmentConfig}. A missing key takes its
 * default ({@link AugmentConfig#defaults()}); every rejection is an {@link InvalidConfigException} naming the key
 * and the value. List-valued keys also accept their HOCON text as a string, as {@code --set} delivers it
 * ({@code --set augment.zoom-range=[0.8,1.2]}).
 */
public final class AugmentConfigParser {
    /** The block's path. */
    public static final String BLOCK = "augment";
    public static final String RESCALE = "augment.rescale";
    public static final String ROTATION_RANGE = "augment.rotation-range";
    public static final String WIDTH_SHIFT_RANGE = "augment.width-shift-range";
    public static final String HEIGHT_SHIFT_RANGE = "augment.height-shift-range";
    public static final String SHEAR_RANGE = "augment.shear-range";
    public static final String ZOOM_RANGE = "augment.zoom-range";
    public static final String HORIZONTAL_FLIP = "augment.horizontal-flip";
    public static final String VERTICAL_FLIP = "augment.vertical-flip";
    public static final String BRIGHTNESS_RANGE = "augment.brightness-range";
    public static final String CHANNEL_SHIFT_RANGE = "augment.channel-shift-range";
    public static final String FILL_MODE = "augment.fill-mode";
    public static final String CVAL = "augment.cval";
    public static final String RANDOM_CROP = "augment.random-crop";
    public static final String FEATUREWISE_CENTER = "augment.featurewise-center";
    public static final String FEATUREWISE_STD_NORMALIZATION = "augment.featurewise-std-normalization";
    public static final String SAMPLEWISE_CENTER = "augment.samplewise-center";
    public static final String SAMPLEWISE_STD_NORMALIZATION = "augment.samplewise-std-normalization";

    /** Every key of the block, in the order of the reference block. */
    public static final List<String> KEYS = List.of(RESCALE, ROTATION_RANGE, WIDTH_SHIFT_RANGE, HEIGHT_SHIFT_RANGE,
            SHEAR_RANGE, ZOOM_RANGE, HORIZONTAL_FLIP, VERTICAL_FLIP, BRIGHTNESS_RANGE, CHANNEL_SHIFT_RANGE, FILL_MODE,
            CVAL, RANDOM_CROP, FEATUREWISE_CENTER, FEATUREWISE_STD_NORMALIZATION, SAMPLEWISE_CENTER,
            SAMPLEWISE_STD_NORMALIZATION);

    private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();

    private AugmentConfigParser() {}

    /**
     * @param root the whole job configuration (the block is read at {@code augment}); when it also holds
     *             {@code image.height} and {@code image.width}, the random crop is checked against them
     * @throws InvalidConfigException naming the key, for an unknown key under {@code augment}, a wrong type or a
     *                                value out of range
     */
    public static AugmentConfig parse(Config root) {
        rejectUnknownKeys(root);
        AugmentConfig d = AugmentConfig.defaults();
        AugmentConfig.Builder b = AugmentConfig.builder();

        b.rescale(number(root, RESCALE, d.rescale(), 0, Double.MAX_VALUE, "[0, +inf) (0 = no rescale)"));
        b.rotationRange(number(root, ROTATION_RANGE, d.rotationRange(), 0, 360, "[0, 360] degrees"));
        b.widthShiftRange(number(root, WIDTH_SHIFT_RANGE, d.widthShiftRange(), 0, Double.MAX_VALUE,
                "[0, +inf) (a fraction of the width when < 1, else pixels)"));
        b.heightShiftRange(number(root, HEIGHT_SHIFT_RANGE, d.heightShiftRange(), 0, Double.MAX_VALUE,
                "[0, +inf) (a fraction of the height when < 1, else pixels)"));
        double shear = number(root, SHEAR_RANGE, d.shearRange(), 0, 90, "[0, 90) degrees");
        if (shear == 90) {
            throw new InvalidConfigException(SHEAR_RANGE, "value 90.0 is out of range [0, 90) degrees");
        }
        b.shearRange(shear);
        double[] zoom = zoom(root);
        b.zoomRange(zoom[0], zoom[1]);
        b.horizontalFlip(bool(root, HORIZONTAL_FLIP, d.horizontalFlip()));
        b.verticalFlip(bool(root, VERTICAL_FLIP, d.verticalFlip()));
        double[] brightness = brightness(root);
        if (brightness.length == 2) {
            b.brightnessRange(brightness[0], brightness[1]);
        }
        b.channelShiftRange(number(root, CHANNEL_SHIFT_RANGE, d.channelShiftRange(), 0, 255,
                "[0, 255] (raw pixel units)"));
        b.fillMode(fillMode(root, d.fillMode()));
        b.cval(number(root, CVAL, d.cval(), 0, 255, "[0, 255] (raw pixel units)"));
        int[] crop = crop(root);
        if (crop.length == 2) {
            b.randomCrop(crop[0], crop[1]);
        }
        b.featurewiseCenter(bool(root, FEATUREWISE_CENTER, d.featurewiseCenter()));
        b.featurewiseStdNormalization(bool(root, FEATUREWISE_STD_NORMALIZATION, d.featurewiseStdNormalization()));
        b.samplewiseCenter(bool(root, SAMPLEWISE_CENTER, d.samplewiseCenter()));
        b.samplewiseStdNormalization(bool(root, SAMPLEWISE_STD_NORMALIZATION, d.samplewiseStdNormalization()));
        return b.build();
    }

    private static void rejectUnknownKeys(Config root) {
        if (!root.hasPath(BLOCK)) {
            return;
        }
        ConfigValue block = root.getValue(BLOCK);
        if (block.valueType() != ConfigValueType.OBJECT) {
            throw new InvalidConfigException(BLOCK, "value " + block.render(CONCISE) + " must be a block augment { ... }");
        }
        Set<String> known = new TreeSet<>(KEYS);
        for (var e : root.getConfig(BLOCK).entrySet()) {
            String key = BLOCK + "." + e.getKey();
            if (!known.contains(key)) {
                throw new InvalidConfigException(key, "unknown key (value " + e.getValue().render(CONCISE)
                        + "). Valid keys: " + String.join(", ", KEYS));
            }
        }
    }

    private static double number(Config root, String key, double fallback, double min, double max, String range) {
        if (!root.hasPath(key)) {
            return fallback;
        }
        double v = toDouble(key, root.getValue(key));
        return inRange(key, v, min, max, range);
    }

    private static double inRange(String key, double v, double min, double max, String range) {
        if (!Double.isFinite(v) || v < min || v > max) {
            throw new InvalidConfigException(key, "value " + v + " is out of range " + range);
        }
        return v;
    }

    private static double toDouble(String key, ConfigValue v) {
        Object raw = v.unwrapped();
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        if (raw instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new InvalidConfigException(key, "value " + v.render(CONCISE) + " is not a number");
    }

    private static boolean bool(Config root, String key, boolean fallback) {
        if (!root.hasPath(key)) {
            return fallback;
        }
        try {
            return root.getBoolean(key);
        } catch (ConfigException.WrongType e) {
            throw new InvalidConfigException(key, "value " + root.getValue(key).render(CONCISE)
                    + " is not a boolean (true or false)");
        }
    }

    private static FillMode fillMode(Config root, FillMode fallback) {
        if (!root.hasPath(FILL_MODE)) {
            return fallback;
        }
        ConfigValue v = root.getValue(FILL_MODE);
        if (v.valueType() == ConfigValueType.STRING) {
            String s = ((String) v.unwrapped()).trim();
            for (FillMode m : FillMode.values()) {
                if (m.name().equalsIgnoreCase(s)) {
                    return m;
                }
            }
        }
        throw new InvalidConfigException(FILL_MODE, "value " + v.render(CONCISE)
                + " is not one of [nearest, constant, reflect, wrap]");
    }

    /** {@code z} means {@code [1 - z, 1 + z]} with {@code z} in [0, 1); a pair means {@code [low, high]}. */
    private static double[] zoom(Config root) {
        if (!root.hasPath(ZOOM_RANGE)) {
            return new double[] {1, 1};
        }
        ConfigValue v = listOrScalar(ZOOM_RANGE, root.getValue(ZOOM_RANGE));
        if (v.valueType() != ConfigValueType.LIST) {
            double z = toDouble(ZOOM_RANGE, v);
            if (!Double.isFinite(z) || z < 0 || z >= 1) {
                throw new InvalidConfigException(ZOOM_RANGE, "value " + z
                        + " is out of range [0, 1) (z means zoom factors in [1 - z, 1 + z]; use [low, high] for others)");
            }
            return new double[] {1 - z, 1 + z};
        }
        double[] pair = numbers(ZOOM_RANGE, (ConfigList) v);
        if (pair.length != 2) {
            throw new InvalidConfigException(ZOOM_RANGE, "value " + v.render(CONCISE)
                    + " must be a number z or a list of two numbers [low, high]");
        }
        if (!(pair[0] > 0) || !(pair[0] <= pair[1]) || !Double.isFinite(pair[1])) {
            throw new InvalidConfigException(ZOOM_RANGE, "value " + v.render(CONCISE)
                    + " must satisfy 0 < low <= high");
        }
        return pair;
    }

    /** Empty (off) or {@code [low, high]}. */
    private static double[] brightness(Config root) {
        if (!root.hasPath(BRIGHTNESS_RANGE)) {
            return new double[0];
        }
        ConfigValue v = listOrScalar(BRIGHTNESS_RANGE, root.getValue(BRIGHTNESS_RANGE));
        if (v.valueType() != ConfigValueType.LIST) {
            throw new InvalidConfigException(BRIGHTNESS_RANGE, "value " + v.render(CONCISE)
                    + " must be [] (off) or a list of two numbers [low, high]");
        }
        double[] pair = numbers(BRIGHTNESS_RANGE, (ConfigList) v);
        if (pair.length == 0) {
            return pair;
        }
        if (pair.length != 2) {
            throw new InvalidConfigException(BRIGHTNESS_RANGE, "value " + v.render(CONCISE)
                    + " must be [] (off) or a list of two numbers [low, high]");
        }
        if (!(pair[0] >= 0) || !(pair[0] <= pair[1]) || !Double.isFinite(pair[1])) {
            throw new InvalidConfigException(BRIGHTNESS_RANGE, "value " + v.render(CONCISE)
                    + " must satisfy 0 <= low <= high");
        }
        return pair;
    }

    /** Empty (off) or {@code [height, width]}, positive whole numbers no larger than the image. */
    private static int[] crop(Config root) {
        if (!root.hasPath(RANDOM_CROP)) {
            return new int[0];
        }
        ConfigValue v = listOrScalar(RANDOM_CROP, root.getValue(RANDOM_CROP));
        if (v.valueType() != ConfigValueType.LIST) {
            throw new InvalidConfigException(RANDOM_CROP, "value " + v.render(CONCISE)
                    + " must be [] (off) or [height, width]");
        }
        double[] hw = numbers(RANDOM_CROP, (ConfigList) v);
        if (hw.length == 0) {
            return new int[0];
        }
        if (hw.length != 2) {
            throw new InvalidConfigException(RANDOM_CROP, "value " + v.render(CONCISE)
                    + " must be [] (off) or [height, width]");
        }
        for (double d : hw) {
            if (d != Math.rint(d) || d < 1 || d > 65_536) {
                throw new InvalidConfigException(RANDOM_CROP, "value " + v.render(CONCISE)
                        + " must hold two whole numbers >= 1 [height, width]");
            }
        }
        int[] crop = {(int) hw[0], (int) hw[1]};
        double imageHeight = optionalNumber(root, "image.height");
        double imageWidth = optionalNumber(root, "image.width");
        if (crop[0] > imageHeight || crop[1] > imageWidth) {
            throw new InvalidConfigException(RANDOM_CROP, "value " + v.render(CONCISE) + " does not fit the "
                    + fmt(imageHeight) + "x" + fmt(imageWidth) + " images (image.height x image.width)");
        }
        return crop;
    }

    private static double optionalNumber(Config root, String key) {
        if (!root.hasPath(key)) {
            return Double.POSITIVE_INFINITY;
        }
        Object raw = root.getValue(key).unwrapped();
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(String.valueOf(raw).trim());
        } catch (NumberFormatException e) {
            return Double.POSITIVE_INFINITY; // ConfigLoader reports the bad image size itself
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    private static double[] numbers(String key, ConfigList list) {
        List<Double> out = new ArrayList<>();
        for (ConfigValue e : list) {
            if (e.valueType() == ConfigValueType.LIST || e.valueType() == ConfigValueType.OBJECT) {
                throw new InvalidConfigException(key, "value " + list.render(CONCISE) + " must hold numbers only");
            }
            try {
                out.add(toDouble(key, e));
            } catch (InvalidConfigException notANumber) {
                throw new InvalidConfigException(key, "value " + list.render(CONCISE) + " must hold numbers only");
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A string holding a HOCON list (as {@code --set} passes it) is parsed into that list. */
    private static ConfigValue listOrScalar(String key, ConfigValue v) {
        if (v.valueType() == ConfigValueType.STRING) {
            String s = ((String) v.unwrapped()).trim();
            if (s.startsWith("[")) {
                try {
                    return ConfigFactory.parseString("v = " + s).getValue("v");
                } catch (ConfigException e) {
                    throw new InvalidConfigException(key, "value '" + s + "' is not a valid list: " + e.getMessage());
                }
            }
        }
        return v;
    }
}
