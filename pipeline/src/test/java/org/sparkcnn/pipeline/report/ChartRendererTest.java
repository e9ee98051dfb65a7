package org.sparkcnn.pipeline.report;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.metrics.EpochMetrics;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartRendererTest {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final List<EpochMetrics> EPOCHS = IntStream.rangeClosed(1, 6).mapToObj(e -> new EpochMetrics("r", e,
            2.0 / e, 1 - 1.0 / (e + 1), 2.2 / e, 1 - 1.2 / (e + 1), 1e-3, 1.5, 300 + 10 * e)).toList();

    @Test
    void curvesArePngsOfTheDocumentedSizeWithBothSeriesDrawn() throws Exception {
        for (BufferedImage chart : List.of(ChartRenderer.loss(EPOCHS), ChartRenderer.accuracy(EPOCHS), ChartRenderer.throughput(EPOCHS))) {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(Html.png(chart)));
            assertNotNull(decoded, "a PNG that decodes");
            assertEquals(ChartRenderer.CURVE_WIDTH, decoded.getWidth());
            assertEquals(ChartRenderer.CURVE_HEIGHT, decoded.getHeight());
        }
        BufferedImage loss = ChartRenderer.loss(EPOCHS);
        assertTrue(countPixels(loss, 31, 119, 180) > 200, "the training series' blue is drawn");
        assertTrue(countPixels(loss, 255, 127, 14) > 200, "the validation series' orange is drawn");
    }

    @Test
    void aRunWithoutValidationStillCharts() {
        List<EpochMetrics> noValidation = EPOCHS.stream().map(e -> new EpochMetrics("r", e.epoch(), e.trainLoss(),
                e.trainAccuracy(), Double.NaN, Double.NaN, 1e-3, 1, 100)).toList();
        BufferedImage loss = ChartRenderer.loss(noValidation);
        assertTrue(countPixels(loss, 31, 119, 180) > 200);
        assertEquals(0, countPixels(loss, 255, 127, 14), "no validation curve");
    }

    @Test
    void heatMapDarkensWithTheShareOfTheActualClass() {
        int[][] confusion = {{40, 0, 0}, {0, 40, 0}, {0, 0, 40}};
        BufferedImage map = ChartRenderer.confusion(confusion, List.of("a", "b", "<c>"));
        assertTrue(map.getWidth() >= 3 * 64 && map.getHeight() >= 3 * 64, map.getWidth() + "x" + map.getHeight());
        assertTrue(countPixels(map, 8, 48, 107) > 3 * 1000, "three full-share diagonal cells in the darkest blue");
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < map.getHeight(); y += 2) {
            for (int x = 0; x < map.getWidth(); x += 2) {
                colours.add(map.getRGB(x, y));
            }
        }
        assertTrue(colours.size() > 20, "a legend strip and text, not a flat picture: " + colours.size());
    }

    private static int countPixels(BufferedImage img, int r, int g, int b) {
        int want = (r << 16) | (g << 8) | b;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) == want) {
                    n++;
                }
            }
        }
        return n;
    }
}
