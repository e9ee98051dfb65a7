package org.sparkcnn.pipeline.report;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.evaluate.EvaluationResult;
import org.sparkcnn.pipeline.metrics.EpochMetrics;
import org.sparkcnn.pipeline.metrics.RunRecord;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.SplitCounts;
import org.sparkcnn.pipeline.storage.RunLayout;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HtmlReportWriterTest {
    private static final String EVIL = "<script>alert('x')</script> & \"co\"";
    private static final RunLayout LAYOUT = new RunLayout("file:/w/r1");

    @Test
    void escapeCoversMarkupAndBothQuotes() {
        assertEquals("&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;&lt;/b&gt;", Html.escape("<b a=\"1\" c='2'>&</b>"));
        assertEquals("", Html.escape(null));
    }

    @Test
    void classNamesAndConfigurationAreEscapedEverywhere() {
        String html = HtmlReportWriter.render(fullRun(), figures(), "2025-01-01T00:00:00Z");
        assertFalse(html.contains("<script>alert"), "a class name never becomes markup");
        assertFalse(html.contains("</pre><img src=http"), "the configuration never becomes markup");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;co&quot;"));
        assertTrue(html.contains("&lt;/pre&gt;&lt;img src=http://example.invalid/x.png&gt;"));
        assertEquals(2, count(html, "<script>"), "only the report's own two scripts");
    }

    @Test
    void everySectionIsThereInOrderAndImagesAreInlinePngs() {
        String html = HtmlReportWriter.render(fullRun(), figures(), "now");
        int at = -1;
        for (String id : HtmlReportWriter.SECTIONS) {
            int next = html.indexOf("<section id=\"" + id + "\">");
            assertTrue(next > at, id + " in order");
            at = next;
        }
        Matcher img = Pattern.compile("<img src=\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (img.find()) {
            assertTrue(img.group(1).startsWith("data:image/png;base64,"), img.group(1));
            images++;
        }
        assertEquals(3 + 1 + 1 + 2, images, "loss, accuracy, throughput, heat map, preview, two class strips");
        assertFalse(Pattern.compile("(src|href)=\"https?:").matcher(html).find(), "no network reference");
    }

    @Test
    void perClassTableStartsWithTheLowestF1AndCarriesSortKeys() {
        String html = HtmlReportWriter.render(fullRun(), figures(), "now");
        String table = html.substring(html.indexOf("<table class=\"sortable\" id=\"per-class\">"));
        table = table.substring(0, table.indexOf("</table>"));
        assertTrue(table.indexOf("<td>plain</td>") < table.indexOf("<td>&lt;script&gt;"), "F1 0.5 before F1 0.9");
        assertTrue(table.contains("<thead><tr><th data-type=\"text\">class</th>"), table);
        assertTrue(table.contains("<th data-type=\"num\" aria-sort=\"ascending\">F1</th>"), "F1 is the order shown");
        assertTrue(table.contains("<td class=\"num\" data-v=\"0.5\">0.5000</td>"), table);
        assertTrue(table.contains("<td class=\"num\" data-v=\"\">n/a</td>"), "an undefined precision sorts as empty: " + table);
        assertTrue(html.contains("Red rings, numbered 1 to 1, mark the most confused pairs"));
        assertTrue(html.contains("<tr><td class=\"num\">1</td><td>plain</td>"), "the ring number leads its pair's row");
    }

    @Test
    void aRunWithOnlyAManifestSaysWhatIsMissingInsteadOfFailing() {
        RunArtifacts ingested = new RunArtifacts("r1", LAYOUT, Optional.of(manifest()), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Map.of(), "{}", "manifest.json", List.of(), List.of());
        ReportFigures none = new ReportFigures(null, null, null, null, null, "no preview", Map.of(), "no samples", List.of(), "");
        String html = HtmlReportWriter.render(ingested, none, "now");
        assertTrue(html.contains("No training metrics yet"));
        assertTrue(html.contains("No evaluation yet"));
        assertTrue(html.contains("No timings yet"));
        assertFalse(html.contains("<img "), "no pictures without their inputs");
        for (String id : HtmlReportWriter.SECTIONS) {
            assertTrue(html.contains("<section id=\"" + id + "\">"), id);
        }
    }

    private static RunArtifacts fullRun() {
        List<EpochMetrics> epochs = List.of(new EpochMetrics("r1", 1, 1.0, 0.5, 1.1, 0.45, 1e-3, 2, 100),
                new EpochMetrics("r1", 2, 0.5, 0.8, 0.6, 0.75, 1e-3, 2, 120));
        EvaluationResult ev = new EvaluationResult("r1", "epoch-0002", 20, 0.7, 1, 1.0, 0.6, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7,
                List.of(new EvaluationResult.PerClass(EVIL, 0.9, 0.9, 0.9, 10),
                        new EvaluationResult.PerClass("plain", Double.NaN, 0.5, 0.5, 10)),
                List.of(EVIL, "plain"), new int[][]{{9, 1}, {5, 5}});
        RunRecord record = new RunRecord("r1", "COMPLETED", "t0", "t1", "{}", "h", "v", 2, 0.6, "val_loss");
        String config = "{\n  \"note\" : \"</pre><img src=http://example.invalid/x.png>\"\n}";
        return new RunArtifacts("r1", LAYOUT, Optional.of(manifest()), Optional.of(record), epochs, Optional.of(ev),
                Optional.empty(), Map.of("latest", "epoch-0002"), config, "metrics/run.json",
                List.of(new RunArtifacts.Output("checkpoint '" + EVIL + "'", "file:/w/r1/checkpoints", true)), List.of());
    }

    private static ShardManifest manifest() {
        Map<String, SplitCounts> splits = Map.of(
                "train", new SplitCounts(20, 20, 0, Map.of(EVIL, 10L, "plain", 10L)),
                "test", new SplitCounts(20, 20, 0, Map.of(EVIL, 10L, "plain", 10L)));
        return new ShardManifest(1, "r1", "file:/corpus", "directory", List.of(EVIL, "plain"), 8, 8, 3, "stretch", 42,
                "hash", "v", "t", 40, 40, 0, 0, splits, List.of(), "", null, "");
    }

    private static ReportFigures figures() {
        BufferedImage tiny = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        ConfusedPairs.Pair pair = ConfusedPairs.top(new int[][]{{9, 1}, {5, 5}}, List.of(EVIL, "plain"), 1).get(0);
        return new ReportFigures(tiny, tiny, tiny, tiny, tiny, "preview of " + EVIL, Map.of(0, tiny, 1, tiny),
                "samples", List.of(new ReportFigures.PairFigure(pair, null, null, null)), "scanned");
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
