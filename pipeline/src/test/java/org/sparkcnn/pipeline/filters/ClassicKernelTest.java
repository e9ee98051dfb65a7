package org.sparkcnn.pipeline.filters;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.error.BadInputException;

import java.awt.image.BufferedImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classic kernels do what the lessons say they do. */
class ClassicKernelTest {

    /** 12 x 16, dark (20) left of column 8, bright (220) from column 8 on. */
    static float[][] verticalStep() {
        float[][] g = new float[12][16];
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 16; x++) {
                g[y][x] = x < 8 ? 20 : 220;
            }
        }
        return g;
    }

    @Test
    void sobelRespondsOnlyAtAVerticalEdge() {
        float[][] r = ClassicKernel.SOBEL.apply(verticalStep());
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 16; x++) {
                if (x == 7 || x == 8) {
                    assertEquals(4 * 200, r[y][x], 1e-3, "full response on both sides of the step at x=" + x);
                } else {
                    assertEquals(0, r[y][x], 1e-6, "flat area at " + x + "," + y);
                }
            }
        }
    }

    @Test
    void blurOfAConstantImageIsConstantBordersIncluded() {
        float[][] g = new float[9][7];
        for (float[] row : g) {
            java.util.Arrays.fill(row, 137);
        }
        for (float[] row : ClassicKernel.BLUR.apply(g)) {
            for (float v : row) {
                assertEquals(137, v, 1e-4);
            }
        }
        float[][] step = ClassicKernel.BLUR.apply(verticalStep());
        assertTrue(step[5][7] > 20 && step[5][7] < 220 && step[5][8] > 20 && step[5][8] < 220, "the edge is smoothed");
    }

    @Test
    void laplacianOfALinearRampIsZeroInTheInteriorAndLargeAtAStep() {
        float[][] ramp = new float[10][10];
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                ramp[y][x] = 3 * x + 5 * y + 10;
            }
        }
        float[][] r = ClassicKernel.EDGE.apply(ramp);
        for (int y = 1; y < 9; y++) {
            for (int x = 1; x < 9; x++) {
                assertEquals(0, r[y][x], 1e-4, "interior " + x + "," + y);
            }
        }
        float[][] step = ClassicKernel.EDGE.apply(verticalStep());
        assertEquals(200, step[5][7], 1e-4);
        assertEquals(-200, step[5][8], 1e-4);
        assertEquals(0, step[5][3], 1e-4);
    }

    @Test
    void beforeAfterIsTheImageBesideItsResponse() {
        float[][] g = verticalStep();
        BufferedImage img = ClassicKernel.SOBEL.beforeAfter(g);
        assertEquals(12, img.getHeight());
        assertEquals(2 * 16 + 4 * TileGrid.GAP, img.getWidth());
        assertEquals(20, img.getRGB(0, 0) & 0xff, "left: the grayscale image");
        int offset = 16 + 4 * TileGrid.GAP;
        assertEquals(255, img.getRGB(offset + 7, 3) & 0xff, "right: the edge at full brightness");
        assertEquals(0, img.getRGB(offset + 2, 3) & 0xff, "right: flat areas black");
    }

    @Test
    void grayscaleUsesLuminanceWeights() {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xff0000);
        img.setRGB(1, 0, 0x00ff00);
        float[][] g = ClassicKernel.grayscale(img);
        assertEquals(0.299f * 255, g[0][0], 1e-3);
        assertEquals(0.587f * 255, g[0][1], 1e-3);
    }

    @Test
    void unknownKernelNamesTheValidOnes() {
        BadInputException e = assertThrows(BadInputException.class, () -> ClassicKernel.parse("sharpen"));
        assertTrue(e.getMessage().contains("sobel, edge, blur"), e.getMessage());
        assertEquals(ClassicKernel.EDGE, ClassicKernel.parse("Edge"));
    }
}
