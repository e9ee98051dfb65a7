package org.sparkcnn.pipeline.report;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.cli.PipelineCli;
import org.sparkcnn.pipeline.demo.SyntheticCorpus;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run report end to end through the CLI on a tiny demo (160 images of 32x32, 2 epochs, local[2]): {@code demo}
 * leaves report.html, its content and images are whole and inline, headless Chromium renders it with every image
 * decoded and no script error, a run that is only ingested gets a report that says what is missing, and a report
 * that cannot be written after {@code evaluate} is a warning, not a failed evaluation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportIT {
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final String DEMO = "it-report";
    private static final String INGESTED = "it-ingested";

    @TempDir
    static Path warehouse;
    static String demoOut;

    @BeforeAll
    static void runTinyDemo() {
        Cli demo = cli("demo", "--run-id", DEMO, "--set", "train.epochs=2", "--set", "demo.images-per-class=40");
        System.out.print(demo.out);
        assertEquals(0, demo.code, demo.err);
        demoOut = demo.out;
    }

    @Test
    @Order(1)
    void demoLeavesAReportWithEverySectionAndTheRunsContent() throws Exception {
        assertTrue(demoOut.contains("report: " + warehouse.toUri() + DEMO + "/report.html"), demoOut);
        String html = report(DEMO);
        for (String id : HtmlReportWriter.SECTIONS) {
            assertTrue(html.contains("<section id=\"" + id + "\">"), id);
        }
        assertFalse(html.contains("class=\"missing\""), "a finished run misses nothing");
        for (String shape : SyntheticCorpus.SHAPES) {
            assertTrue(html.contains("<td>" + shape + "</td>"), shape);
        }
        assertTrue(Pattern.compile("&quot;epochs&quot; : (&quot;)?2(&quot;)?,").matcher(html).find(), "the recorded configuration");
        assertEquals(2, count(html, Pattern.compile("<tr><td class=\"num\">\\d</td><td class=\"num\">\\d\\.\\d{4}</td>")),
                "one row per epoch in the training table");
        String evaluation = Files.readString(warehouse.resolve(DEMO).resolve("evaluation.json"));
        Matcher accuracy = Pattern.compile("\"accuracy\" : ([0-9.Ee-]+)").matcher(evaluation);
        assertTrue(accuracy.find());
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "<th>accuracy</th><td>%.4f</td>",
                Double.parseDouble(accuracy.group(1)))), "the evaluation's accuracy");
        assertTrue(html.contains("checkpoints/epoch-0002/model.zip"), "where the checkpoints are");
        assertTrue(html.contains("<table class=\"sortable\" id=\"per-class\">"));
    }

    @Test
    @Order(2)
    void everyImageIsAnInlinePngThatDecodesAndNothingIsFetched() throws Exception {
        String html = report(DEMO);
        Matcher img = Pattern.compile("<img src=\"([^\"]*)\" width=\"(\\d+)\" height=\"(\\d+)\"").matcher(html);
        int images = 0;
        while (img.find()) {
            String src = img.group(1);
            assertTrue(src.startsWith("data:image/png;base64,"), src.substring(0, Math.min(60, src.length())));
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1))));
            assertNotNull(png, "decodes as PNG");
            assertEquals(Integer.parseInt(img.group(2)), png.getWidth());
            assertEquals(Integer.parseInt(img.group(3)), png.getHeight());
            images++;
        }
        assertEquals(count(html, Pattern.compile("<img ")), images, "every <img> is an inline PNG");
        // 3 charts, heat map, preview, 4 class strips, and per confused pair up to 3 strips
        assertTrue(images >= 9, "images: " + images);
        assertFalse(html.contains("http://") || html.contains("https://"), "no network reference");
        assertFalse(Pattern.compile("<(link|iframe|object|embed)\\b|<script [^>]*src=|url\\(").matcher(html).find(),
                "no external resource of any kind");
    }

    @Test
    @Order(3)
    void headlessChromiumRendersTheReportWithEveryImageAndNoScriptError() throws Exception {
        Assumptions.assumeTrue(CHROMIUM.canExecute(), "/usr/bin/chromium is not installed (apt-get install chromium); "
                + "skipping the in-browser rendering check");
        Path page = warehouse.resolve(DEMO).resolve("report.html");
        String attributes = renderedBodyAttributes(page);
        assertTrue(attributes.contains("data-checked=\"true\""), "the page's check ran: " + attributes);
        assertTrue(attributes.contains("data-images-ok=\"true\""), "every image decoded: " + attributes);
        assertTrue(attributes.contains("data-errors=\"\""), "no script or load error: " + attributes);
        assertTrue(attributes.contains("data-image-count=\"" + count(report(DEMO), Pattern.compile("<img ")) + "\""), attributes);

        // The check can fail: the same page with one image's bytes corrupted is reported broken.
        Path broken = warehouse.resolve("broken.html");
        Files.writeString(broken, report(DEMO).replaceFirst("src=\"data:image/png;base64,", "src=\"data:image/png;base64,AAAA"));
        String brokenAttributes = renderedBodyAttributes(broken);
        assertTrue(brokenAttributes.contains("data-images-ok=\"false\"") && brokenAttributes.contains("data-images-broken=\"1\"")
                && (brokenAttributes.contains("cannot load &lt;img&gt;") || brokenAttributes.contains("cannot load <img>")),
                brokenAttributes);

        Path shot = warehouse.resolve("report.png");
        Path profile2 = Files.createTempDirectory(warehouse, "chromium-profile");
        chromium(profile2, null, "--screenshot=" + shot, "--window-size=1280,4000", "--hide-scrollbars", page.toUri().toString());
        BufferedImage screenshot = ImageIO.read(shot.toFile());
        assertNotNull(screenshot, "the screenshot is a PNG");
        assertTrue(screenshot.getWidth() >= 1000 && screenshot.getHeight() >= 3000, screenshot.getWidth() + "x" + screenshot.getHeight());
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < screenshot.getHeight(); y += 3) {
            for (int x = 0; x < screenshot.getWidth(); x += 3) {
                colours.add(screenshot.getRGB(x, y) & 0xffffff);
            }
        }
        assertTrue(colours.size() > 500, "a page with charts and photos, not a blank one: " + colours.size() + " colours");
    }

    @Test
    @Order(3)
    void headlessChromiumSortsThePerClassTableByTheSelectedColumn() throws Exception {
        Assumptions.assumeTrue(CHROMIUM.canExecute(), "/usr/bin/chromium is not installed (apt-get install chromium); "
                + "skipping the in-browser sorting check");
        // The page's own script runs; this one, added after it, selects headings as a reader would and records the
        // row order after each selection.
        String probe = """
                <script>window.addEventListener('load',function(){var t=document.getElementById('per-class');var h=t.tHead.rows[0].cells;
                function col(c){return Array.prototype.map.call(t.tBodies[0].rows,function(r){return r.cells[c].textContent;}).join(',');}
                var out=[col(0)];h[0].click();out.push(col(0));h[0].click();out.push(col(0));h[4].click();out.push(col(4));
                function enter(){h[3].dispatchEvent(new KeyboardEvent('keydown',{key:'Enter'}));out.push(col(3));out.push(h[3].getAttribute('aria-sort'));}
                enter();enter();
                document.body.setAttribute('data-sorted',out.join('|'));});</script>
                """;
        Path page = warehouse.resolve("sort-probe.html");
        Files.writeString(page, report(DEMO).replace("</body>", probe + "</body>"));
        Matcher sorted = Pattern.compile("data-sorted=\"([^\"]*)\"").matcher(renderedBodyAttributes(page));
        assertTrue(sorted.find(), "the probe ran");
        String[] orders = sorted.group(1).split("\\|", -1);
        assertEquals(8, orders.length, sorted.group(1));
        List<String> byName = new ArrayList<>(SyntheticCorpus.SHAPES);
        byName.sort(String::compareTo);
        assertEquals(String.join(",", byName), orders[1], "class, ascending");
        List<String> reversed = new ArrayList<>(byName);
        java.util.Collections.reverse(reversed);
        assertEquals(String.join(",", reversed), orders[2], "class again: descending");
        assertTrue(ascending(orders[3]), "support, ascending: " + orders[3]);
        // Enter on F1's heading sorts by it, ascending (n/a last)...
        assertEquals("ascending", orders[5]);
        List<String> f1 = List.of(orders[4].split(","));
        assertEquals(numbersThenNa(f1, false), f1, "F1, ascending");
        // ...and again reverses it.
        assertEquals("descending", orders[7]);
        List<String> f1Desc = List.of(orders[6].split(","));
        assertEquals(numbersThenNa(f1Desc, true), f1Desc, "F1, descending");
        assertFalse(orders[0].equals(orders[1]) && orders[1].equals(orders[2]), "selections change the order");
    }

    private static boolean ascending(String csv) {
        double last = Double.NEGATIVE_INFINITY;
        for (String v : csv.split(",")) {
            double d = Double.parseDouble(v);
            if (d < last) {
                return false;
            }
            last = d;
        }
        return true;
    }

    /** {@code values} sorted as numbers (stable), the undefined ones ("n/a") last whichever the direction. */
    private static List<String> numbersThenNa(List<String> values, boolean descending) {
        java.util.Comparator<String> byNumber = java.util.Comparator.comparingDouble(Double::parseDouble);
        List<String> sorted = new ArrayList<>(values.stream().filter(v -> !v.equals("n/a"))
                .sorted(descending ? byNumber.reversed() : byNumber).toList());
        values.stream().filter(v -> v.equals("n/a")).forEach(sorted::add);
        return sorted;
    }

    @Test
    @Order(4)
    void aRunThatIsOnlyIngestedGetsAReportThatSaysWhatIsMissing() throws Exception {
        String corpus = warehouse.resolve(DEMO).resolve("corpus").toUri().toString();
        Cli ingest = cli("ingest", "--run-id", INGESTED, "--set", "corpus.uri=" + corpus, "--set", "corpus.layout=food101");
        assertEquals(0, ingest.code, ingest.err);
        assertFalse(Files.exists(warehouse.resolve(INGESTED).resolve("report.html")), "ingest does not write a report");
        Cli report = cli("report", "--run-id", INGESTED);
        assertEquals(0, report.code, report.err);
        String html = report(INGESTED);
        assertTrue(html.contains("No training metrics yet"), "training");
        assertTrue(html.contains("No timings yet"), "throughput");
        assertTrue(html.contains("No evaluation yet"), "evaluation");
        assertTrue(html.contains("examples of class circle"), "the dataset section still has its sample images");
    }

    @Test
    @Order(5)
    void aReportThatCannotBeWrittenAfterEvaluatingIsAWarningNotAFailure() throws Exception {
        Path page = warehouse.resolve(DEMO).resolve("report.html");
        Files.delete(page);
        Files.createDirectories(page.resolve("in-the-way"));
        try {
            Cli evaluate = cli("evaluate", "--run-id", DEMO);
            assertEquals(0, evaluate.code, "the evaluation succeeded: " + evaluate.err);
            assertTrue(evaluate.err.contains("warning: evaluate succeeded, but its run report")
                    && evaluate.err.contains("report --run-id " + DEMO), evaluate.err);
            Cli report = cli("report", "--run-id", DEMO);
            assertEquals(PipelineCli.FAILURE, report.code, "the report verb itself fails when it cannot write");
        } finally {
            Files.delete(page.resolve("in-the-way"));
            Files.delete(page);
        }
        assertEquals(0, cli("report", "--run-id", DEMO).code, "and writes once the way is clear");
        assertTrue(Files.isRegularFile(page));
    }

    @Test
    @Order(6)
    void aReportOfARunThatDoesNotExistIsBadInput() {
        Cli report = cli("report", "--run-id", "no-such-run");
        assertEquals(PipelineCli.BAD_INPUT, report.code);
        assertTrue(report.err.contains("no-such-run") && report.err.contains("does not exist"), report.err);
        assertFalse(Files.exists(warehouse.resolve("no-such-run")), "nothing is created for it");
    }

    /** The attributes of {@code <body>} after Chromium loaded the page and ran its scripts. */
    private static String renderedBodyAttributes(Path page) throws Exception {
        Path profile = Files.createTempDirectory(warehouse, "chromium-profile");
        Path dom = Files.createTempFile(warehouse, "dom", ".html");
        chromium(profile, dom, "--virtual-time-budget=10000", "--dump-dom", page.toUri().toString());
        String rendered = Files.readString(dom);
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(rendered);
        assertTrue(body.find(), "a rendered DOM: " + rendered.substring(0, Math.min(300, rendered.length())));
        return body.group(1);
    }

    private static void chromium(Path profile, Path stdout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.getPath(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(warehouse, "chromium", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (stdout == null) {
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
        } else {
            pb.redirectOutput(stdout.toFile()).redirectError(log.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s: " + Files.readString(log));
        }
        assertEquals(0, p.exitValue(), "chromium: " + Files.readString(log));
    }

    private static String report(String runId) throws Exception {
        return Files.readString(warehouse.resolve(runId).resolve("report.html"));
    }

    private static int count(String s, Pattern p) {
        Matcher m = p.matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private record Cli(int code, String out, String err) {}

    private static Cli cli(String verb, String... args) {
        List<String> all = new ArrayList<>(List.of(verb, "--conf", "../conf/demo.conf", "--set",
                "output.uri=" + warehouse.toUri(), "--set", "spark.master=local[2]"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new PipelineCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(all.toArray(String[]::new));
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
