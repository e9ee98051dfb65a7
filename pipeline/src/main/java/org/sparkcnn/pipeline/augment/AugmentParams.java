package org.sparkcnn.pipeline.augment;

import java.io.Serializable;
import java.util.Locale;

/**
 * The drawn parameters of one example's transform (Keras {@code get_random_transform}'s dictionary, plus our crop).
 * {@link #describe()} prints them, so every transform can say what it drew.
 *
 * @param theta        rotation in degrees, counter-clockwise on screen for positive values
 * @param tx           row shift in pixels (Keras draws it from {@code height_shift_range}); output row {@code r}
 *                     reads input row {@code r + tx}, so positive values move the content up
 * @param ty           column shift in pixels (from {@code width_shift_range}); positive values move the content left
 * @param shear        shear angle in degrees
 * @param zx           zoom factor of columns (above 1 shrinks the content)
 * @param zy           zoom factor of rows
 * @param flipH        mirror left-right
 * @param flipV        mirror top-bottom
 * @param brightness   brightness factor, or NaN for no brightness step
 * @param channelShift intensity added to every channel in raw pixel units, 0 for none
 * @param cropY        top row of the random crop (0 without crop)
 * @param cropX        left column of the random crop (0 without crop)
 */
public record AugmentParams(double theta, double tx, double ty, double shear, double zx, double zy,
                            boolean flipH, boolean flipV, double brightness, double channelShift,
                            int cropY, int cropX) implements Serializable {

    /** Parameters that change nothing. */
    public static final AugmentParams IDENTITY =
            new AugmentParams(0, 0, 0, 0, 1, 1, false, false, Double.NaN, 0, 0, 0);

    /** True when rotation, shift, shear and zoom are all neutral: the affine step is skipped, as Keras does. */
    public boolean isIdentityGeometry() {
        return theta == 0 && tx == 0 && ty == 0 && shear == 0 && zx == 1 && zy == 1;
    }

    /** Whether a brightness factor was drawn. */
    public boolean hasBrightness() {
        return !Double.isNaN(brightness);
    }

    /**
     * One line, e.g. {@code theta=+12.500deg tx=-3.250px(rows) ty=+0.000px(cols) shear=+0.100deg zx=0.9500 zy=1.1000
     * flipH=yes flipV=no brightness=off channelShift=+0.00 crop=(y=0,x=0)}.
     */
    public String describe() {
        return String.format(Locale.ROOT,
                "theta=%+.3fdeg tx=%+.3fpx(rows) ty=%+.3fpx(cols) shear=%+.3fdeg zx=%.4f zy=%.4f flipH=%s flipV=%s "
                        + "brightness=%s channelShift=%+.2f crop=(y=%d,x=%d)",
                theta, tx, ty, shear, zx, zy, flipH ? "yes" : "no", flipV ? "yes" : "no",
                hasBrightness() ? String.format(Locale.ROOT, "%.4f", brightness) : "off",
                channelShift, cropY, cropX);
    }

    @Override
    public String toString() {
        return "AugmentParams[" + describe() + "]";
    }
}
