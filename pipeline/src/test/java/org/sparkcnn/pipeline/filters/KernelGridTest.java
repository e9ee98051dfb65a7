package org.sparkcnn.pipeline.filters;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Grid geometry and colours of learned kernels and feature maps. */
class KernelGridTest {

    static int pixel(BufferedImage img, TileGrid grid, int tile, int y, int x) {
        int x0 = TileGrid.GAP + (tile % grid.cols()) * (grid.tileWidth() * grid.scale() + TileGrid.GAP);
        int y0 = TileGrid.GAP + (tile / grid.cols()) * (grid.tileHeight() * grid.scale() + TileGrid.GAP);
        return img.getRGB(x0 + x * grid.scale(), y0 + y * grid.scale()) & 0xffffff;
    }

    @Test
    void sixRgbKernelsOfFiveByFiveMakeAThreeByTwoGridOfColourTiles() {
        INDArray w = Nd4j.zeros(6, 3, 5, 5);
        w.putScalar(new int[]{0, 0, 2, 2}, 1.0);   // kernel 0: one red centre on black... relative to its min 0
        w.putScalar(new int[]{1, 2, 0, 0}, -1.0);  // kernel 1: one negative blue corner, everything else at max
        BufferedImage img = KernelGrid.render(w);
        // 5x5 upscaled by ceil(40 / 5) = 8 to 40 px; 3 columns, 2 rows, 2 px gaps.
        assertEquals(3 * 40 + 4 * 2, img.getWidth());
        assertEquals(2 * 40 + 3 * 2, img.getHeight());
        TileGrid grid = TileGrid.of(6, 5, 5, KernelGrid.MIN_TILE);
        assertEquals(8, grid.scale());
        assertEquals(0xff0000, pixel(img, grid, 0, 2, 2), "the red weight shows red");
        assertEquals(0x000000, pixel(img, grid, 0, 0, 0), "the kernel's minimum is black");
        assertEquals(0xffff00, pixel(img, grid, 1, 0, 0), "blue at its minimum, red and green at the maximum");
        assertEquals(0x808080, pixel(img, grid, 5, 1, 1), "a constant kernel is mid-gray");
        assertEquals(TileGrid.BACKGROUND, img.getRGB(0, 0) & 0xffffff);
    }

    @Test
    void singleChannelKernelsAreGray() {
        INDArray w = Nd4j.zeros(4, 1, 3, 3);
        w.putScalar(new int[]{3, 0, 1, 1}, 2.0);
        BufferedImage img = KernelGrid.render(w);
        TileGrid grid = TileGrid.of(4, 3, 3, KernelGrid.MIN_TILE);
        assertEquals(2 * 3 * 14 + 3 * 2, img.getWidth(), "3 px upscaled by ceil(40 / 3) = 14, 2 columns");
        assertEquals(0xffffff, pixel(img, grid, 3, 1, 1));
        assertEquals(0x000000, pixel(img, grid, 3, 0, 0));
    }

    @Test
    void featureMapsAreOneNormalisedTilePerChannel() {
        INDArray acts = Nd4j.zeros(1, 5, 28, 28);
        acts.putScalar(new int[]{0, 4, 10, 20}, 7.0);
        acts.putScalar(new int[]{0, 4, 0, 0}, -1.0);
        BufferedImage img = FeatureMapGrid.render(acts);
        // 28 px upscaled by ceil(64 / 28) = 3 to 84; 5 maps: 3 columns, 2 rows.
        assertEquals(3 * 84 + 4 * 2, img.getWidth());
        assertEquals(2 * 84 + 3 * 2, img.getHeight());
        TileGrid grid = TileGrid.of(5, 28, 28, FeatureMapGrid.MIN_TILE);
        assertEquals(0xffffff, pixel(img, grid, 4, 10, 20), "strongest activation white");
        assertEquals(0x000000, pixel(img, grid, 4, 0, 0), "weakest black");
        int zero = Math.round(255f * 1 / 8);
        assertEquals((zero << 16) | (zero << 8) | zero, pixel(img, grid, 4, 5, 5));
    }
}
