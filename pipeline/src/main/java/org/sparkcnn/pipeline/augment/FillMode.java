package org.sparkcnn.pipeline.augment;

/**
 * How points outside the image are read, with scipy.ndimage's semantics for {@code order=1} (what Keras passes as
 * {@code fill_mode}). With input {@code abcd}:
 * <ul>
 *   <li>{@link #NEAREST}: {@code aaaa|abcd|dddd}</li>
 *   <li>{@link #CONSTANT}: {@code kkkk|abcd|kkkk} with {@code k = cval}; a sample whose coordinate lies outside
 *       {@code [0, size - 1]} on either axis is {@code cval}, nothing is interpolated with it</li>
 *   <li>{@link #REFLECT}: {@code dcba|abcd|dcba} (half-sample symmetric, scipy {@code 'reflect'})</li>
 *   <li>{@link #WRAP}: {@code abcd|abcd|abcd} for whole-pixel shifts; scipy's {@code 'wrap'} wraps coordinates
 *       with period {@code size - 1} (the first and last samples overlap), and so do we</li>
 * </ul>
 * {@link #mapCoordinate} and {@link #mapIndex} are scipy's {@code map_coordinate} and its tap mapping, transcribed.
 */
public enum FillMode {
    NEAREST, CONSTANT, REFLECT, WRAP;

    /**
     * Maps a sampling coordinate that may lie outside {@code [0, len - 1]} to the coordinate that is interpolated.
     * Returns {@code -1} for {@link #CONSTANT} outside the image (the caller then uses {@code cval}).
     * {@link #NEAREST} coordinates are not mapped (scipy interpolates them on the edge-extended signal).
     */
    double mapCoordinate(double in, int len) {
        return switch (this) {
            case NEAREST -> in;
            case CONSTANT -> in < 0 || in > len - 1 ? -1 : in;
            case REFLECT -> reflect(in, len);
            case WRAP -> wrap(in, len);
        };
    }

    /**
     * The array index read for interpolation tap {@code idx} when it falls outside {@code [0, len)}: scipy extends
     * {@code nearest} by the edge, {@code reflect} by reflection, and {@code constant} and {@code wrap} by mirroring
     * (only reached with a zero weight, or for {@code wrap} a weight below 1e-15).
     */
    int mapIndex(long idx, int len) {
        double mapped = switch (this) {
            case NEAREST -> idx < 0 ? 0 : idx > len - 1 ? len - 1 : idx;
            case REFLECT -> reflect(idx, len);
            case CONSTANT, WRAP -> mirror(idx, len);
        };
        return (int) (long) mapped;
    }

    private static double reflect(double in, int len) {
        if (in < 0) {
            if (len <= 1) {
                return 0;
            }
            long sz2 = 2L * len;
            if (in < -sz2) {
                in = sz2 * (long) (-in / sz2) + in;
            }
            // scipy: the -1e-15 check avoids (-in - 1) == -1
            return in < -len ? in + sz2 : (in > -1e-15 ? 1e-15 : -in) - 1;
        }
        if (in > len - 1) {
            if (len <= 1) {
                return 0;
            }
            long sz2 = 2L * len;
            in -= sz2 * (long) (in / sz2);
            if (in >= len) {
                in = sz2 - in - 1;
            }
        }
        return in;
    }

    private static double wrap(double in, int len) {
        if (in < 0) {
            if (len <= 1) {
                return 0;
            }
            long sz = len - 1L;
            return in + sz * ((long) (-in / sz) + 1);
        }
        if (in > len - 1) {
            if (len <= 1) {
                return 0;
            }
            long sz = len - 1L;
            return in - sz * (long) (in / sz);
        }
        return in;
    }

    private static double mirror(double in, int len) {
        if (in < 0) {
            if (len <= 1) {
                return 0;
            }
            long sz2 = 2L * len - 2;
            in = sz2 * (long) (-in / sz2) + in;
            return in <= 1 - len ? in + sz2 : -in;
        }
        if (in > len - 1) {
            if (len <= 1) {
                return 0;
            }
            long sz2 = 2L * len - 2;
            in -= sz2 * (long) (in / sz2);
            if (in >= len) {
                in = sz2 - in;
            }
        }
        return in;
    }
}
