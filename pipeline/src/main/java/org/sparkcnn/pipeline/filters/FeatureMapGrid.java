package org.sparkcnn.pipeline.filters;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.awt.image.BufferedImage;

/**
 * One layer's activations for one image ({@code [1, channels, h, w]}) as a grid of grayscale maps, one per channel,
 * each normalised to its own min..max (bright = strong response), upscaled to at least {@value #MIN_TILE} pixels.
 */
public final class FeatureMapGrid {
    static final int MIN_TILE = 64;

    private FeatureMapGrid() {}

    public static BufferedImage render(INDArray activations) {
        if (activations.rank() != 4 || activations.size(0) != 1) {
            throw new IllegalArgumentException("feature maps must be [1, channels, h, w], got "
                    + java.util.Arrays.toString(activations.shape()));
        }
        int channels = (int) activations.size(1);
        int h = (int) activations.size(2);
        int w = (int) activations.size(3);
        float[] all = activations.castTo(DataType.FLOAT).dup('c').data().asFloat();
        TileGrid grid = TileGrid.of(channels, h, w, MIN_TILE);
        BufferedImage img = grid.blank();
        for (int c = 0; c < channels; c++) {
            int[] levels = TileGrid.normalise(java.util.Arrays.copyOfRange(all, c * h * w, (c + 1) * h * w));
            int[] rgb = new int[h * w];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = TileGrid.gray(levels[i]);
            }
            grid.paint(img, c, rgb);
        }
        return img;
    }
}
