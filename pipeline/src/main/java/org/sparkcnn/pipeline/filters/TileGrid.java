package org.sparkcnn.pipeline.filters;

import java.awt.image.BufferedImage;

/**
 * A near-square grid of equal tiles, each a small picture upscaled by an integer factor, with a
 * {@value #GAP}-pixel dark border around and between tiles: {@code cols = ceil(sqrt(n))},
 * {@code width = cols * tileWidth * scale + (cols + 1) * GAP}, likewise for rows and height.
 */
record TileGrid(int tiles, int tileHeight, int tileWidth, int scale) {
    static final int GAP = 2;
    static final int BACKGROUND = 0x404040;

    /** Scale so that a tile is at least {@code minPixels} on its longer side. */
    static TileGrid of(int tiles, int tileHeight, int tileWidth, int minPixels) {
        int scale = Math.max(1, (int) Math.ceil(minPixels / (double) Math.max(tileHeight, tileWidth)));
        return new TileGrid(tiles, tileHeight, tileWidth, scale);
    }

    int cols() {
        return (int) Math.ceil(Math.sqrt(tiles));
    }

    int rows() {
        return (tiles + cols() - 1) / cols();
    }

    int width() {
        return cols() * tileWidth * scale + (cols() + 1) * GAP;
    }

    int height() {
        return rows() * tileHeight * scale + (rows() + 1) * GAP;
    }

    BufferedImage blank() {
        BufferedImage img = new BufferedImage(width(), height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, BACKGROUND);
            }
        }
        return img;
    }

    /** Paints tile {@code t} from packed RGB pixels ({@code tileHeight x tileWidth}, row-major). */
    void paint(BufferedImage img, int t, int[] rgb) {
        int x0 = GAP + (t % cols()) * (tileWidth * scale + GAP);
        int y0 = GAP + (t / cols()) * (tileHeight * scale + GAP);
        for (int y = 0; y < tileHeight * scale; y++) {
            for (int x = 0; x < tileWidth * scale; x++) {
                img.setRGB(x0 + x, y0 + y, rgb[(y / scale) * tileWidth + x / scale]);
            }
        }
    }

    /** Values mapped linearly from their own min..max to 0..255 (all 128 when constant). */
    static int[] normalise(float[] values) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = max > min ? Math.round(255f * (values[i] - min) / (max - min)) : 128;
        }
        return out;
    }

    static int gray(int v) {
        return (v << 16) | (v << 8) | v;
    }
}
