package org.sparkcnn.pipeline.report;

import java.awt.image.BufferedImage;

/**
 * Paints channel-major {@code float[c*h*w]} pixels (0..255, as shards store them before rescaling) into an RGB
 * image, each pixel as a {@code scale x scale} block. One or three channels; values are rounded and clamped.
 * The drawing code shared by {@code augment-preview} and the run report's image grids.
 */
public final class PixelPainter {
    private PixelPainter() {}

    /** A new {@code TYPE_INT_RGB} image of {@code w*scale x h*scale} holding the pixels. */
    public static BufferedImage image(float[] chw, int c, int h, int w, int scale) {
        BufferedImage img = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        paint(img, chw, c, h, w, 0, 0, scale);
        return img;
    }

    /** Paints the pixels into {@code target} with their top-left corner at ({@code x0}, {@code y0}). */
    public static void paint(BufferedImage target, float[] chw, int c, int h, int w, int x0, int y0, int scale) {
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int r = clamp(chw[i]);
                int g = c == 3 ? clamp(chw[plane + i]) : r;
                int b = c == 3 ? clamp(chw[2 * plane + i]) : r;
                int rgb = (r << 16) | (g << 8) | b;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        target.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
                    }
                }
            }
        }
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
