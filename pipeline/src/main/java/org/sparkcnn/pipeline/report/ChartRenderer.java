package org.sparkcnn.pipeline.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.sparkcnn.pipeline.metrics.EpochMetrics;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The report's charts, drawn with JFreeChart into images (headless: no display is needed). Per-epoch curves
 * skip NaN values (a run without a validation split has no validation curve).
 */
final class ChartRenderer {
    static final int CURVE_WIDTH = 760;
    static final int CURVE_HEIGHT = 360;
    private static final Color TRAIN = new Color(31, 119, 180);
    private static final Color VALIDATION = new Color(255, 127, 14);
    private static final Color DARKEST = new Color(8, 48, 107);

    private ChartRenderer() {}

    /** Training and validation loss per epoch. */
    static BufferedImage loss(List<EpochMetrics> epochs) {
        Map<String, ToDoubleFunction<EpochMetrics>> series = new LinkedHashMap<>();
        series.put("training loss", EpochMetrics::trainLoss);
        series.put("validation loss", EpochMetrics::valLoss);
        return curves("Loss per epoch", "loss", epochs, series, false);
    }

    /** Training and validation accuracy per epoch, on a 0..1 axis. */
    static BufferedImage accuracy(List<EpochMetrics> epochs) {
        Map<String, ToDoubleFunction<EpochMetrics>> series = new LinkedHashMap<>();
        series.put("training accuracy", EpochMetrics::trainAccuracy);
        series.put("validation accuracy", EpochMetrics::valAccuracy);
        return curves("Accuracy per epoch", "accuracy", epochs, series, true);
    }

    /** Training throughput (samples per second) per epoch, as bars. */
    static BufferedImage throughput(List<EpochMetrics> epochs) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (EpochMetrics e : epochs) {
            data.addValue(finite(e.samplesPerSecond()) ? e.samplesPerSecond() : 0, "samples/s", Integer.toString(e.epoch()));
        }
        JFreeChart chart = ChartFactory.createBarChart("Training throughput per epoch", "epoch", "samples per second", data);
        chart.removeLegend();
        CategoryPlot plot = chart.getCategoryPlot();
        style(chart);
        plot.getRenderer().setSeriesPaint(0, TRAIN);
        return chart.createBufferedImage(CURVE_WIDTH, CURVE_HEIGHT);
    }

    /**
     * The confusion matrix as a heat map: rows are actual classes (first at the top), columns predicted classes;
     * a cell's colour is its share of the actual class (white 0 to dark blue 1), and small matrices print counts.
     * Each of {@code callouts} (the most confused pairs, in the order the report lists them) is ringed in red and
     * numbered from 1, so that a faint cell of a 101-class map can be found. Cells are tall enough for every class
     * name to be printed without overlapping its neighbours up to {@value #ALL_NAMES_UP_TO} classes.
     */
    static BufferedImage confusion(int[][] confusion, List<String> classes, List<ConfusedPairs.Pair> callouts) {
        HeatMap map = confusionChart(confusion, classes, callouts);
        return map.chart().createBufferedImage(map.width(), map.height());
    }

    /** The most classes whose heat map prints every name (at a {@value #SMALLEST_NAME_FONT}-point font). */
    static final int ALL_NAMES_UP_TO = 160;
    private static final int SMALLEST_NAME_FONT = 8;
    private static final Color CALLOUT = new Color(214, 39, 40);

    /** A heat map chart and the size it is drawn at. */
    record HeatMap(JFreeChart chart, int width, int height, int cell) {}

    static HeatMap confusionChart(int[][] confusion, List<String> classes, List<ConfusedPairs.Pair> callouts) {
        int n = classes.size();
        double[] xs = new double[n * n];
        double[] ys = new double[n * n];
        double[] zs = new double[n * n];
        int k = 0;
        for (int a = 0; a < n; a++) {
            long support = 0;
            for (int v : confusion[a]) {
                support += v;
            }
            for (int p = 0; p < n; p++) {
                xs[k] = p;
                ys[k] = a;
                zs[k] = support == 0 ? 0 : confusion[a][p] / (double) support;
                k++;
            }
        }
        DefaultXYZDataset data = new DefaultXYZDataset();
        data.addSeries("share of actual class", new double[][]{xs, ys, zs});
        String[] names = classes.toArray(String[]::new);
        SymbolAxis predicted = new SymbolAxis("predicted class", names);
        SymbolAxis actual = new SymbolAxis("actual class", names);
        actual.setInverted(true);
        predicted.setVerticalTickLabels(true);
        predicted.setGridBandsVisible(false);
        actual.setGridBandsVisible(false);
        Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, n <= 20 ? 12 : n <= 50 ? 9 : SMALLEST_NAME_FONT);
        predicted.setTickLabelFont(tickFont);
        actual.setTickLabelFont(tickFont);
        XYBlockRenderer renderer = new XYBlockRenderer();
        PaintScale scale = new ShareScale();
        renderer.setPaintScale(scale);
        XYPlot plot = new XYPlot(data, predicted, actual, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setRangeAxisLocation(AxisLocation.TOP_OR_LEFT);
        if (n <= 20) {
            Font countFont = new Font(Font.SANS_SERIF, Font.BOLD, n <= 10 ? 14 : 10);
            for (int i = 0; i < n * n; i++) {
                int a = (int) ys[i];
                int p = (int) xs[i];
                XYTextAnnotation count = new XYTextAnnotation(Integer.toString(confusion[a][p]), p, a);
                count.setFont(countFont);
                count.setPaint(zs[i] > 0.5 ? Color.WHITE : Color.BLACK);
                plot.addAnnotation(count);
            }
        }
        callOut(plot, callouts, n);
        JFreeChart chart = new JFreeChart("Confusion matrix (test split)", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        NumberAxis legendAxis = new NumberAxis("share of the actual class");
        legendAxis.setRange(0, 1);
        legendAxis.setTickUnit(new NumberTickUnit(0.25));
        PaintScaleLegend legend = new PaintScaleLegend(scale, legendAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setStripWidth(14);
        legend.setMargin(40, 10, 40, 10);
        chart.addSubtitle(legend);
        style(chart);
        // A name's line is about 1.3 x its point size: cells of 12 px keep 8-point names apart.
        int cell = n <= 10 ? 64 : n <= 20 ? 36 : n <= 50 ? Math.max(14, 900 / n) : n <= ALL_NAMES_UP_TO ? 12 : Math.max(4, 1200 / n);
        int labels = Math.min(240, 30 + longest(names) * tickFont.getSize() * 6 / 10);
        int side = Math.max(240, n * cell);
        return new HeatMap(chart, side + labels + 150, side + labels + 80, cell);
    }

    /** Rings each called-out cell in red with its number (1 = the most confused pair) beside it. */
    private static void callOut(XYPlot plot, List<ConfusedPairs.Pair> callouts, int n) {
        // Small maps print counts in every cell: ring the cell itself and number it in its corner. Large maps have
        // cells a few pixels wide: ring a 3-cell square so the ring is seen, and number it to its right.
        double half = n <= 20 ? 0.48 : 1.5;
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, n <= 20 ? 11 : 13);
        for (int i = 0; i < callouts.size(); i++) {
            ConfusedPairs.Pair c = callouts.get(i);
            plot.addAnnotation(new XYShapeAnnotation(new Rectangle2D.Double(c.predicted() - half, c.actual() - half,
                    2 * half, 2 * half), new BasicStroke(2f), CALLOUT));
            XYTextAnnotation number = new XYTextAnnotation(Integer.toString(i + 1),
                    n <= 20 ? c.predicted() - 0.3 : c.predicted() + half + 0.5, n <= 20 ? c.actual() - 0.3 : c.actual());
            number.setFont(font);
            number.setPaint(CALLOUT);
            number.setTextAnchor(n <= 20 ? TextAnchor.CENTER : TextAnchor.CENTER_LEFT);
            plot.addAnnotation(number);
        }
    }

    /** A line chart of per-epoch series (the first in blue, the second in orange; series without values left out), {@value #CURVE_WIDTH} x {@value #CURVE_HEIGHT} pixels. */
    private static BufferedImage curves(String title, String yLabel, List<EpochMetrics> epochs,
                                        Map<String, ToDoubleFunction<EpochMetrics>> series, boolean unitRange) {
        XYSeriesCollection data = new XYSeriesCollection();
        List<Color> colours = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, ToDoubleFunction<EpochMetrics>> s : series.entrySet()) {
            XYSeries xy = new XYSeries(s.getKey());
            for (EpochMetrics e : epochs) {
                double v = s.getValue().applyAsDouble(e);
                if (finite(v)) {
                    xy.add(e.epoch(), v);
                }
            }
            if (xy.getItemCount() > 0) {
                data.addSeries(xy);
                colours.add(index == 0 ? TRAIN : VALIDATION);
            }
            index++;
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", yLabel, data);
        XYPlot plot = chart.getXYPlot();
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setAutoRangeIncludesZero(unitRange);
        if (unitRange) {
            y.setRange(0, 1.0001);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < colours.size(); i++) {
            renderer.setSeriesPaint(i, colours.get(i));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        style(chart);
        return chart.createBufferedImage(CURVE_WIDTH, CURVE_HEIGHT);
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.getPlot().setBackgroundPaint(Color.WHITE);
        if (chart.getPlot() instanceof XYPlot xy) {
            xy.setDomainGridlinePaint(new Color(220, 220, 220));
            xy.setRangeGridlinePaint(new Color(220, 220, 220));
        } else if (chart.getPlot() instanceof CategoryPlot cat) {
            cat.setRangeGridlinePaint(new Color(220, 220, 220));
        }
    }

    private static int longest(String[] names) {
        int max = 0;
        for (String s : names) {
            max = Math.max(max, s.length());
        }
        return max;
    }

    private static boolean finite(double v) {
        return !Double.isNaN(v) && !Double.isInfinite(v);
    }

    /** 0..1 from white to {@link #DARKEST}, linearly in RGB. */
    private static final class ShareScale implements PaintScale {
        @Override
        public double getLowerBound() {
            return 0;
        }

        @Override
        public double getUpperBound() {
            return 1;
        }

        @Override
        public Paint getPaint(double value) {
            double t = Math.max(0, Math.min(1, Double.isNaN(value) ? 0 : value));
            Color d = DARKEST;
            return new Color(mix(255, d.getRed(), t), mix(255, d.getGreen(), t), mix(255, d.getBlue(), t));
        }

        private static int mix(int from, int to, double t) {
            return (int) Math.round(from + (to - from) * t);
        }
    }
}
