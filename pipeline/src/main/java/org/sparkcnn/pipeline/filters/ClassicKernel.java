package org.sparkcnn.pipeline.filters;

import org.sparkcnn.pipeline.error.BadInputException;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The lessons' fixed 3x3 kernels, applied to a grayscale image (0..255, {@code [y][x]}) before learned filters are
 * introduced. Borders repeat the nearest pixel, so a constant image stays constant under every kernel.
 */
public enum ClassicKernel {
    /** Sobel gradient magnitude {@code sqrt(gx^2 + gy^2)}: strong on edges of any direction, 0 on flat areas. */
    SOBEL,
    /** 4-neighbour Laplacian {@code [0 1 0; 1 -4 1; 0 1 0]}: 0 on flat areas and linear ramps, large at edges. */
    EDGE,
    /** Gaussian blur {@code [1 2 1; 2 4 2; 1 2 1] / 16}. */
    BLUR;

    private static final float[][] SOBEL_X = {{-1, 0, 1}, {-2, 0, 2}, {-1, 0, 1}};
    private static final float[][] SOBEL_Y = {{-1, -2, -1}, {0, 0, 0}, {1, 2, 1}};
    private static final float[][] LAPLACIAN = {{0, 1, 0}, {1, -4, 1}, {0, 1, 0}};
    private static final float[][] GAUSSIAN = {{1 / 16f, 2 / 16f, 1 / 16f}, {2 / 16f, 4 / 16f, 2 / 16f}, {1 / 16f, 2 / 16f, 1 / 16f}};

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ClassicKernel parse(String name) {
        for (ClassicKernel k : values()) {
            if (k.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new BadInputException("--kernel '" + name + "' is not one of "
                + Arrays.stream(values()).map(ClassicKernel::cliName).collect(Collectors.joining(", ")));
    }

    /** The kernel's response at every pixel (signed for {@link #EDGE}). */
    public float[][] apply(float[][] gray) {
        return switch (this) {
            case SOBEL -> {
                float[][] gx = convolve(gray, SOBEL_X);
                float[][] gy = convolve(gray, SOBEL_Y);
                float[][] out = new float[gray.length][gray[0].length];
                for (int y = 0; y < out.length; y++) {
                    for (int x = 0; x < out[0].length; x++) {
                        out[y][x] = (float) Math.hypot(gx[y][x], gy[y][x]);
                    }
                }
                yield out;
            }
            case EDGE -> convolve(gray, LAPLACIAN);
            case BLUR -> convolve(gray, GAUSSIAN);
        };
    }

    /** The response as a displayable 0..255 picture: edge strengths scaled to the strongest, blur as is. */
    public int[][] display(float[][] response) {
        float max = 0;
        for (float[] row : response) {
            for (float v : row) {
                max = Math.max(max, Math.abs(v));
            }
        }
        int[][] out = new int[response.length][response[0].length];
        for (int y = 0; y < out.length; y++) {
            for (int x = 0; x < out[0].length; x++) {
                float v = response[y][x];
                out[y][x] = this == BLUR ? clamp(v) : max == 0 ? 0 : clamp(255f * Math.abs(v) / max);
            }
        }
        return out;
    }

    /** Cross-correlation (as CNN layers compute it) with nearest-pixel borders. */
    static float[][] convolve(float[][] gray, float[][] k) {
        int h = gray.length;
        int w = gray[0].length;
        float[][] out = new float[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = Math.min(h - 1, Math.max(0, y + dy));
                        int xx = Math.min(w - 1, Math.max(0, x + dx));
                        sum += k[dy + 1][dx + 1] * gray[yy][xx];
                    }
                }
                out[y][x] = sum;
            }
        }
        return out;
    }

    /** Luminance (ITU-R 601: 0.299 R + 0.587 G + 0.114 B) of every pixel, 0..255. */
    public static float[][] grayscale(BufferedImage img) {
        float[][] out = new float[img.getHeight()][img.getWidth()];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                out[y][x] = 0.299f * ((rgb >> 16) & 0xff) + 0.587f * ((rgb >> 8) & 0xff) + 0.114f * (rgb & 0xff);
            }
        }
        return out;
    }

    /** The grayscale image and the kernel's response side by side, with a gap between them. */
    public BufferedImage beforeAfter(float[][] gray) {
        int[][] after = display(apply(gray));
        int h = gray.length;
        int w = gray[0].length;
        int gap = TileGrid.GAP * 4;
        BufferedImage img = new BufferedImage(2 * w + gap, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < gap; x++) {
                img.setRGB(w + x, y, TileGrid.BACKGROUND);
            }
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, TileGrid.gray(clamp(gray[y][x])));
                img.setRGB(w + gap + x, y, TileGrid.gray(after[y][x]));
            }
        }
        return img;
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
