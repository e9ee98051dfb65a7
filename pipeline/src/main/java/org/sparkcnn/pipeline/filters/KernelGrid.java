package org.sparkcnn.pipeline.filters;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.image.BufferedImage;

/**
 * A convolution layer's learned kernels as one picture: weights {@code [filters, inChannels, kh, kw]}, one tile per
 * filter, each normalised over all its values to 0..255 (so the channels keep their proportions); three input
 * channels are shown as RGB colour, any other count as the grayscale mean over the channels. Tiles are upscaled to
 * at least {@value #MIN_TILE} pixels.
 */
public final class KernelGrid {
    static final int MIN_TILE = 40;

    private KernelGrid() {}

    public static BufferedImage render(INDArray weights) {
        if (weights.rank() != 4) {
            throw new IllegalArgumentException("convolution weights must be [filters, channels, kh, kw], got "
                    + java.util.Arrays.toString(weights.shape()));
        }
        int filters = (int) weights.size(0);
        int channels = (int) weights.size(1);
        int kh = (int) weights.size(2);
        int kw = (int) weights.size(3);
        float[] all = weights.castTo(DataType.FLOAT).dup('c').data().asFloat();
        TileGrid grid = TileGrid.of(filters, kh, kw, MIN_TILE);
        BufferedImage img = grid.blank();
        int plane = kh * kw;
        for (int f = 0; f < filters; f++) {
            float[] kernel = java.util.Arrays.copyOfRange(all, f * channels * plane, (f + 1) * channels * plane);
            int[] levels = TileGrid.normalise(kernel);
            int[] rgb = new int[plane];
            for (int i = 0; i < plane; i++) {
                if (channels == 3) {
                    rgb[i] = (levels[i] << 16) | (levels[plane + i] << 8) | levels[2 * plane + i];
                } else {
                    int sum = 0;
                    for (int c = 0; c < channels; c++) {
                        sum += levels[c * plane + i];
                    }
                    rgb[i] = TileGrid.gray(Math.round(sum / (float) channels));
                }
            }
            grid.paint(img, f, rgb);
        }
        return img;
    }
}
