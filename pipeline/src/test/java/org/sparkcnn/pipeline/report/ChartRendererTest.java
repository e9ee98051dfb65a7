package org.sparkcnn.pipeline.report;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.metrics.EpochMetrics;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.Tick;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
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
        BufferedImage map = ChartRenderer.confusion(confusion, List.of("a", "b", "<c>"), List.of());
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

    @Test
    void aFood101SizedMapPrintsEveryClassNameWithoutOverlapAndRingsTheCalledOutCells() {
        int n = 101;
        List<String> classes = IntStream.range(0, n).mapToObj(i -> "class_name_" + i).toList();
        int[][] confusion = new int[n][n];
        for (int a = 0; a < n; a++) {
            confusion[a][a] = 200;
            confusion[a][(a + 1) % n] = 50;
        }
        confusion[7][90] = 120;
        confusion[60][3] = 110;
        List<ConfusedPairs.Pair> top = ConfusedPairs.top(confusion, classes, 5);
        ChartRenderer.HeatMap map = ChartRenderer.confusionChart(confusion, classes, top);
        BufferedImage image = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g2 = image.createGraphics();
        ChartRenderingInfo info = new ChartRenderingInfo();
        map.chart().draw(g2, new Rectangle2D.Double(0, 0, map.width(), map.height()), info);
        Rectangle2D dataArea = info.getPlotInfo().getDataArea();
        XYPlot plot = map.chart().getXYPlot();
        assertEquals(n, printedLabels(plot.getRangeAxis(), g2, dataArea, RectangleEdge.LEFT), "every actual class named");
        assertEquals(n, printedLabels(plot.getDomainAxis(), g2, dataArea, RectangleEdge.BOTTOM), "every predicted class named");
        assertTrue(map.width() < 1600 && map.height() < 1600, "bounded: " + map.width() + "x" + map.height());

        // The page would hide cells of a few pixels: the called-out ones are ringed in red, and only they.
        assertTrue(reddish(image) > 5 * 4 * 3 * map.cell(), "five red rings and their numbers: " + reddish(image));
        BufferedImage plain = ChartRenderer.confusion(confusion, classes, List.of());
        assertEquals(0, reddish(plain), "no ring without a call-out");
        assertEquals(7, top.get(0).actual());
        assertEquals(90, top.get(0).predicted());
        int x = (int) plot.getDomainAxis().valueToJava2D(90 + 1.5, dataArea, RectangleEdge.BOTTOM);
        int y = (int) plot.getRangeAxis().valueToJava2D(7, dataArea, RectangleEdge.LEFT);
        int red = 0;
        for (int dy = -3; dy <= 3; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                red += isReddish(image.getRGB(x + dx, y + dy)) ? 1 : 0;
            }
        }
        assertTrue(red >= 3, "the first ring's right edge passes the largest confusion's row: " + red);
    }

    @Test
    void aSmallerMapStillPrintsEveryName() {
        for (int n : new int[]{4, 20, 37, 50}) {
            List<String> classes = IntStream.range(0, n).mapToObj(i -> "c" + i).toList();
            ChartRenderer.HeatMap map = ChartRenderer.confusionChart(new int[n][n], classes, List.of());
            BufferedImage image = new BufferedImage(map.width(), map.height(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g2 = image.createGraphics();
            ChartRenderingInfo info = new ChartRenderingInfo();
            map.chart().draw(g2, new Rectangle2D.Double(0, 0, map.width(), map.height()), info);
            assertEquals(n, printedLabels(map.chart().getXYPlot().getRangeAxis(), g2, info.getPlotInfo().getDataArea(),
                    RectangleEdge.LEFT), n + " classes");
        }
    }

    /** Tick labels the axis prints (JFreeChart blanks a label that would overlap the previous one). */
    private static int printedLabels(ValueAxis axis, Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
        int printed = 0;
        for (Object tick : axis.refreshTicks(g2, new AxisState(), dataArea, edge)) {
            printed += ((Tick) tick).getText().isEmpty() ? 0 : 1;
        }
        return printed;
    }

    /** Pixels of the call-outs' red, anti-aliased edges included. */
    private static int reddish(BufferedImage img) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                n += isReddish(img.getRGB(x, y)) ? 1 : 0;
            }
        }
        return n;
    }

    private static boolean isReddish(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return r > 150 && r - g > 80 && r - b > 80;
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
