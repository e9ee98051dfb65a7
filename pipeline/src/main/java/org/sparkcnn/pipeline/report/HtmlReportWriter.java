package org.sparkcnn.pipeline.report;

import org.sparkcnn.pipeline.evaluate.EvaluationResult;
import org.sparkcnn.pipeline.metrics.EpochMetrics;
import org.sparkcnn.pipeline.metrics.RunRecord;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.SplitCounts;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the report as one self-contained HTML page: inline CSS, images as {@code data:} PNGs, one small inline
 * script that records on {@code <body>} whether every image decoded ({@code data-images-ok}) and any script or
 * load error ({@code data-errors}). A Content-Security-Policy forbids every network fetch. All text from the run
 * (class names, configuration, paths) is HTML-escaped.
 */
final class HtmlReportWriter {
    /** The section ids, in page order. */
    static final List<String> SECTIONS = List.of("summary", "configuration", "dataset", "training", "throughput",
            "evaluation", "confusions", "outputs");

    private static final String CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
            header{background:#1f3b5c;color:#fff;padding:18px 32px}
            header h1{margin:0 0 6px;font-size:24px}
            header p{margin:2px 0;color:#d6e2f0;font-size:14px}
            nav{background:#fff;border-bottom:1px solid #dde1e7;padding:8px 32px;position:sticky;top:0}
            nav a{margin-right:16px;color:#1f5fa8;text-decoration:none;font-size:14px}
            main{padding:8px 32px 48px;max-width:1240px}
            section{background:#fff;border:1px solid #dde1e7;border-radius:6px;margin:16px 0;padding:4px 20px 16px}
            h2{font-size:20px;border-bottom:2px solid #1f5fa8;padding-bottom:4px}
            h3{font-size:16px;margin-top:20px}
            table{border-collapse:collapse;margin:8px 0;font-size:13px}
            th,td{border:1px solid #d5dae1;padding:4px 8px;text-align:left;vertical-align:middle}
            th{background:#eef2f7}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            tr.total td{font-weight:bold;background:#f3f5f8}
            pre{background:#f3f5f8;border:1px solid #dde1e7;padding:10px;overflow:auto;max-height:520px;font-size:12px}
            code{font-size:13px}
            img{display:block;margin:6px 0;image-rendering:auto}
            .missing{color:#8a5a00;background:#fff7e0;border:1px solid #f0d890;padding:8px 12px;border-radius:4px}
            .problem{color:#8b1a1a}
            .cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
            .card{border:1px solid #d5dae1;border-radius:6px;padding:10px 16px;min-width:150px;background:#fafbfc}
            .card .v{font-size:22px;font-weight:600;color:#1f3b5c}
            .card .k{font-size:12px;color:#5b6472}
            .note{color:#5b6472;font-size:13px}
            .yes{color:#1b7a32}.no{color:#9aa1ab}
            .wide{overflow:auto;max-width:100%}
            table.sortable th{cursor:pointer;user-select:none}
            table.sortable th[aria-sort=ascending]::after{content:" \\25B2"}
            table.sortable th[aria-sort=descending]::after{content:" \\25BC"}
            """;

    /** Runs first: records script errors and images that fail to load. */
    private static final String ERROR_HOOK = """
            window.__reportErrors=[];
            window.addEventListener('error',function(e){var t=e.target;var m=(t&&t!==window&&t.tagName)?('cannot load <'+t.tagName.toLowerCase()+'>'):String(e.message||'script error');window.__reportErrors.push(m);if(document.body){document.body.setAttribute('data-errors',window.__reportErrors.join(' | '));}},true);
            """;

    /** Runs after load: did every image decode? */
    private static final String IMAGE_CHECK = """
            (function(){function check(){var imgs=document.images,broken=0;for(var i=0;imgs.length>i;i++){var im=imgs[i];if(!(im.complete&&im.naturalWidth>0)){broken++;}}var b=document.body;b.setAttribute('data-image-count',String(imgs.length));b.setAttribute('data-images-broken',String(broken));b.setAttribute('data-images-ok',broken===0?'true':'false');b.setAttribute('data-errors',window.__reportErrors.join(' | '));b.setAttribute('data-checked','true');}
            if(document.readyState==='complete'){check();}else{window.addEventListener('load',check);}})();
            """;

    /**
     * Sorts a {@code table.sortable} by the column whose heading is selected (click, Enter or Space): numbers by
     * their {@code data-v} (empty ones last in either direction), text by locale order; ties keep the page's order.
     */
    private static final String SORT_TABLES = """
            (function(){var tables=document.querySelectorAll('table.sortable');for(var t=0;tables.length>t;t++){init(tables[t]);}
            function init(table){var body=table.tBodies[0];var rows=body.rows;for(var r=0;rows.length>r;r++){rows[r].setAttribute('data-i',String(r));}
            var heads=table.tHead.rows[0].cells;for(var c=0;heads.length>c;c++){bind(table,heads,c);}}
            function bind(table,heads,c){var h=heads[c];h.tabIndex=0;h.setAttribute('role','button');
            var go=function(){var asc=h.getAttribute('aria-sort')!=='ascending';for(var k=0;heads.length>k;k++){heads[k].removeAttribute('aria-sort');}
            h.setAttribute('aria-sort',asc?'ascending':'descending');sort(table,c,h.getAttribute('data-type')==='num',asc?1:-1);};
            h.addEventListener('click',go);h.addEventListener('keydown',function(ev){if(ev.key==='Enter'||ev.key===' '){ev.preventDefault();go();}});}
            function key(row,c,num){var cell=row.cells[c];if(!num){return cell.textContent;}var v=cell.hasAttribute('data-v')?cell.getAttribute('data-v'):cell.textContent;return v===''?NaN:parseFloat(v);}
            function sort(table,c,num,dir){var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
            rows.sort(function(a,b){var x=key(a,c,num),y=key(b,c,num),d;
            if(num){var xn=isNaN(x),yn=isNaN(y);d=xn&&yn?0:xn?1:yn?-1:dir*(x-y);}else{d=dir*x.localeCompare(y);}
            return d!==0?d:(+a.getAttribute('data-i'))-(+b.getAttribute('data-i'));});
            for(var i=0;rows.length>i;i++){body.appendChild(rows[i]);}}})();
            """;

    private final StringBuilder html = new StringBuilder(1 << 16);

    private HtmlReportWriter() {}

    /** The page for {@code run} with its {@code figures}; {@code generatedAt} is printed in the header. */
    static String render(RunArtifacts run, ReportFigures figures, String generatedAt) {
        HtmlReportWriter w = new HtmlReportWriter();
        w.page(run, figures, generatedAt);
        return w.html.toString();
    }

    private void page(RunArtifacts run, ReportFigures f, String generatedAt) {
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Run report: ").append(e(run.runId())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n")
                .append("<script>\n").append(ERROR_HOOK).append("</script>\n</head>\n<body>\n");
        header(run, generatedAt);
        html.append("<nav>");
        for (String s : SECTIONS) {
            html.append("<a href=\"#").append(s).append("\">").append(title(s)).append("</a>");
        }
        html.append("</nav>\n<main>\n");
        summary(run);
        configuration(run);
        dataset(run, f);
        training(run, f);
        throughput(run, f);
        evaluation(run, f);
        confusions(run, f);
        outputs(run);
        html.append("</main>\n<script>\n").append(SORT_TABLES).append(IMAGE_CHECK).append("</script>\n</body>\n</html>\n");
    }

    private void header(RunArtifacts run, String generatedAt) {
        html.append("<header><h1>Run report: ").append(e(run.runId())).append("</h1>\n");
        html.append("<p>").append(e(run.layout().root())).append("</p>\n");
        String status = run.runRecord().map(RunRecord::status).orElse(run.manifest().isPresent() ? "INGESTED" : "NOT INGESTED");
        html.append("<p>status <b>").append(e(status)).append("</b>");
        run.runRecord().ifPresent(r -> html.append(" &middot; code ").append(e(r.codeVersion()))
                .append(" &middot; started ").append(e(r.started()))
                .append(r.finished() == null ? "" : " &middot; finished " + e(r.finished())));
        html.append(" &middot; report generated ").append(e(generatedAt)).append("</p></header>\n");
    }

    private void summary(RunArtifacts run) {
        open("summary");
        if (!run.problems().isEmpty()) {
            html.append("<p class=\"problem\">Some of the run's files could not be read; the sections that need them say so:</p><ul>");
            for (String p : run.problems()) {
                html.append("<li class=\"problem\">").append(e(p)).append("</li>");
            }
            html.append("</ul>\n");
        }
        html.append("<div class=\"cards\">");
        run.evaluation().ifPresent(ev -> {
            card("test accuracy (" + ev.checkpoint() + ")", pct(ev.accuracy()));
            card("top-" + ev.topK() + " accuracy", pct(ev.topKAccuracy()));
            card("macro F1", fmt(ev.macroF1(), 4));
            card("test examples", Long.toString(ev.examples()));
        });
        if (!run.epochs().isEmpty()) {
            EpochMetrics last = run.epochs().get(run.epochs().size() - 1);
            card("epochs trained", Integer.toString(last.epoch()));
            card("final validation accuracy", Double.isNaN(last.valAccuracy()) ? "n/a" : pct(last.valAccuracy()));
            card("training time", seconds(run.epochs().stream().mapToDouble(EpochMetrics::seconds).sum()));
        }
        run.runRecord().filter(r -> r.bestEpoch() > 0).ifPresent(r ->
                card("best epoch by " + r.monitor(), r.bestEpoch() + " (" + fmt(r.bestMetric(), 4) + ")"));
        run.manifest().ifPresent(m -> {
            card("classes", Integer.toString(m.numClasses()));
            card("images written", Long.toString(m.written()));
        });
        html.append("</div>\n");
        if (run.manifest().isEmpty()) {
            missing("This run has no committed ingest yet: run <code>bin/pipeline ingest --run-id " + e(run.runId()) + "</code>.");
        }
        close();
    }

    private void configuration(RunArtifacts run) {
        open("configuration");
        if (run.configJson().isEmpty()) {
            missing("No configuration recorded yet (it is recorded by ingest in manifest.json and by train in metrics/run.json).");
        } else {
            html.append("<p class=\"note\">The resolved configuration as recorded in <code>").append(e(run.configSource()))
                    .append("</code> (credential-like values are redacted when recorded).</p>\n");
            html.append("<pre>").append(e(run.configJson())).append("</pre>\n");
        }
        close();
    }

    private void dataset(RunArtifacts run, ReportFigures f) {
        open("dataset");
        if (run.manifest().isEmpty()) {
            missing("No dataset yet: the run has no committed ingest (no manifest.json).");
            close();
            return;
        }
        ShardManifest m = run.manifest().get();
        html.append("<table>");
        row("corpus", m.corpusUri());
        row("layout", m.layout());
        row("image shape (height x width x channels)", m.height() + " x " + m.width() + " x " + m.channels() + " (" + m.resizeMode() + ")");
        row("inputs listed / written / quarantined", m.listed() + " / " + m.written() + " / " + m.quarantined());
        if (m.augmentedCopies() > 0) {
            row("materialised augmented copies", Long.toString(m.augmentedCopies()));
        }
        row("seed", Long.toString(m.seed()));
        row("ingest config hash", m.configHash());
        row("ingested at", m.createdAt());
        html.append("</table>\n");

        html.append("<h3>Examples per class and split</h3>\n");
        List<String> splits = splitOrder(m.splits());
        html.append("<table><tr><th>class</th>");
        for (String s : splits) {
            html.append("<th>").append(e(s)).append("</th>");
        }
        html.append("<th>total</th></tr>\n");
        long[] totals = new long[splits.size() + 1];
        for (String c : m.classes()) {
            html.append("<tr><td>").append(e(c)).append("</td>");
            long sum = 0;
            for (int i = 0; i < splits.size(); i++) {
                SplitCounts counts = m.splits().get(splits.get(i));
                long n = counts == null || counts.perClass() == null ? 0 : counts.perClass().getOrDefault(c, 0L);
                totals[i] += n;
                sum += n;
                num(n);
            }
            totals[splits.size()] += sum;
            num(sum);
            html.append("</tr>\n");
        }
        html.append("<tr class=\"total\"><td>all classes</td>");
        for (long t : totals) {
            num(t);
        }
        html.append("</tr></table>\n");

        html.append("<h3>Sample images</h3>\n<p class=\"note\">").append(e(f.samplesNote())).append("</p>\n");
        if (!f.classSamples().isEmpty()) {
            html.append("<table><tr><th>class</th><th>examples</th></tr>\n");
            for (int c : ReportJob.sampledClasses(m.numClasses())) {
                BufferedImage strip = f.classSamples().get(c);
                html.append("<tr><td>").append(e(m.classes().get(c))).append("</td><td>")
                        .append(strip == null ? "<span class=\"note\">none found</span>"
                                : Html.img(strip, "examples of class " + m.classes().get(c)))
                        .append("</td></tr>\n");
            }
            html.append("</table>\n");
        }

        html.append("<h3>Augmentation preview</h3>\n<p class=\"note\">").append(e(f.augmentNote())).append("</p>\n");
        if (f.augmentPreview() != null) {
            html.append(Html.img(f.augmentPreview(), "augmentation preview: originals, then epochs 1 to 4"));
        }
        close();
    }

    private void training(RunArtifacts run, ReportFigures f) {
        open("training");
        if (run.epochs().isEmpty()) {
            missing("No training metrics yet (metrics/epochs.csv does not exist): run <code>bin/pipeline train --run-id "
                    + e(run.runId()) + "</code>.");
            close();
            return;
        }
        html.append(Html.img(f.loss(), "training and validation loss per epoch"));
        html.append(Html.img(f.accuracy(), "training and validation accuracy per epoch"));
        html.append("<table><tr><th>epoch</th><th>loss</th><th>accuracy</th><th>val_loss</th><th>val_accuracy</th>"
                + "<th>learning rate</th></tr>\n");
        for (EpochMetrics ep : run.epochs()) {
            html.append("<tr>");
            num(ep.epoch());
            numText(fmt(ep.trainLoss(), 4));
            numText(fmt(ep.trainAccuracy(), 4));
            numText(fmt(ep.valLoss(), 4));
            numText(fmt(ep.valAccuracy(), 4));
            numText(String.format(Locale.ROOT, "%.2e", ep.learningRate()));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        close();
    }

    private void throughput(RunArtifacts run, ReportFigures f) {
        open("throughput");
        if (run.epochs().isEmpty()) {
            missing("No timings yet: they are recorded per epoch by training.");
            close();
            return;
        }
        html.append(Html.img(f.throughput(), "training throughput per epoch"));
        html.append("<p class=\"note\">seconds: the epoch's wall time (fitting, then evaluating on the training and "
                + "validation splits); samples/s: training examples over the fitting time.</p>\n");
        html.append("<table><tr><th>epoch</th><th>seconds</th><th>samples/s</th></tr>\n");
        double total = 0;
        for (EpochMetrics ep : run.epochs()) {
            html.append("<tr>");
            num(ep.epoch());
            numText(fmt(ep.seconds(), 1));
            numText(fmt(ep.samplesPerSecond(), 0));
            html.append("</tr>\n");
            total += ep.seconds();
        }
        double mean = run.epochs().stream().mapToDouble(EpochMetrics::samplesPerSecond).filter(Double::isFinite).average().orElse(Double.NaN);
        html.append("<tr class=\"total\"><td>all</td>");
        numText(fmt(total, 1));
        numText(fmt(mean, 0) + " (mean)");
        html.append("</tr></table>\n");
        close();
    }

    private void evaluation(RunArtifacts run, ReportFigures f) {
        open("evaluation");
        if (run.evaluation().isEmpty()) {
            missing("No evaluation yet (evaluation.json does not exist): run <code>bin/pipeline evaluate --run-id "
                    + e(run.runId()) + "</code>.");
            close();
            return;
        }
        EvaluationResult ev = run.evaluation().get();
        html.append("<table>");
        row("checkpoint", ev.checkpoint());
        row("test examples", Long.toString(ev.examples()));
        row("accuracy", fmt(ev.accuracy(), 4));
        row("top-" + ev.topK() + " accuracy", fmt(ev.topKAccuracy(), 4));
        row("loss", fmt(ev.loss(), 4));
        row("macro precision / recall / F1", fmt(ev.macroPrecision(), 4) + " / " + fmt(ev.macroRecall(), 4) + " / " + fmt(ev.macroF1(), 4));
        row("weighted precision / recall / F1", fmt(ev.weightedPrecision(), 4) + " / " + fmt(ev.weightedRecall(), 4) + " / " + fmt(ev.weightedF1(), 4));
        html.append("</table>\n<h3>Confusion matrix</h3>\n");
        if (f.confusion() != null) {
            if (!f.pairs().isEmpty()) {
                html.append("<p class=\"note\">Red rings, numbered 1 to ").append(f.pairs().size())
                        .append(", mark the most confused pairs, listed under <a href=\"#confusions\">Most confused classes</a>.</p>\n");
            }
            html.append("<div class=\"wide\">").append(Html.img(f.confusion(), "confusion matrix heat map")).append("</div>\n");
        }
        html.append("<h3>Per class</h3>\n<p class=\"note\">Lowest F1 first; select a column's heading to sort by it "
                + "(again to reverse).</p>\n<table class=\"sortable\" id=\"per-class\"><thead><tr><th data-type=\"text\">class</th>"
                + "<th data-type=\"num\">precision</th><th data-type=\"num\">recall</th>"
                + "<th data-type=\"num\" aria-sort=\"ascending\">F1</th><th data-type=\"num\">support</th></tr></thead><tbody>\n");
        List<EvaluationResult.PerClass> sorted = new ArrayList<>(ev.perClass());
        sorted.sort(Comparator.comparingDouble((EvaluationResult.PerClass p) -> Double.isNaN(p.f1()) ? -1 : p.f1())
                .thenComparing(EvaluationResult.PerClass::className));
        for (EvaluationResult.PerClass p : sorted) {
            html.append("<tr><td>").append(e(p.className())).append("</td>");
            sortableNum(p.precision(), 4);
            sortableNum(p.recall(), 4);
            sortableNum(p.f1(), 4);
            num(p.support());
            html.append("</tr>\n");
        }
        html.append("</tbody></table>\n");
        close();
    }

    private void confusions(RunArtifacts run, ReportFigures f) {
        open("confusions");
        if (run.evaluation().isEmpty()) {
            missing("No evaluation yet, so no confusions to show.");
            close();
            return;
        }
        if (f.pairs().isEmpty()) {
            html.append("<p>No test example was misclassified.</p>\n");
            close();
            return;
        }
        html.append("<p class=\"note\">The largest off-diagonal cells of the confusion matrix. ")
                .append(e(f.pairsNote())).append("</p>\n");
        html.append("<table><tr><th>ring</th><th>actual class</th><th>predicted as</th><th>test examples</th><th>share of the actual class</th></tr>\n");
        int ring = 0;
        for (ReportFigures.PairFigure p : f.pairs()) {
            html.append("<tr>");
            num(++ring);
            html.append("<td>").append(e(p.pair().actualName())).append("</td><td>").append(e(p.pair().predictedName()))
                    .append("</td>");
            num(p.pair().count());
            numText(pct(p.pair().fractionOfActual()));
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        for (ReportFigures.PairFigure p : f.pairs()) {
            String a = p.pair().actualName();
            String b = p.pair().predictedName();
            html.append("<h3>").append(e(a)).append(" predicted as ").append(e(b)).append(" (")
                    .append(p.pair().count()).append(")</h3>\n<table>");
            html.append("<tr><td>misclassified test images</td><td>").append(p.misclassified() == null
                    ? "<span class=\"note\">none found among the test examples scanned</span>"
                    : Html.img(p.misclassified(), a + " images predicted as " + b)).append("</td></tr>\n");
            imageRow("samples of " + a, p.actualSamples(), "examples of class " + a);
            imageRow("samples of " + b, p.predictedSamples(), "examples of class " + b);
            html.append("</table>\n");
        }
        close();
    }

    private void outputs(RunArtifacts run) {
        open("outputs");
        html.append("<table><tr><th>what</th><th>where</th><th>exists</th></tr>\n");
        for (RunArtifacts.Output o : run.outputs()) {
            boolean self = o.uri().equals(run.layout().report());
            html.append("<tr><td>").append(e(o.what())).append("</td><td><code>").append(e(o.uri())).append("</code></td><td>")
                    .append(self ? "<span class=\"yes\">this file</span>"
                            : o.exists() ? "<span class=\"yes\">yes</span>" : "<span class=\"no\">not yet</span>")
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");
        close();
    }

    private void imageRow(String label, BufferedImage image, String alt) {
        html.append("<tr><td>").append(e(label)).append("</td><td>")
                .append(image == null ? "<span class=\"note\">none found</span>" : Html.img(image, alt))
                .append("</td></tr>\n");
    }

    private static List<String> splitOrder(Map<String, SplitCounts> splits) {
        Set<String> order = new LinkedHashSet<>();
        for (String s : List.of("train", "validation", "test")) {
            if (splits.containsKey(s)) {
                order.add(s);
            }
        }
        splits.keySet().stream().sorted().forEach(order::add);
        return List.copyOf(order);
    }

    private void open(String id) {
        html.append("<section id=\"").append(id).append("\">\n<h2>").append(title(id)).append("</h2>\n");
    }

    private void close() {
        html.append("</section>\n");
    }

    private void missing(String trustedHtml) {
        html.append("<p class=\"missing\">").append(trustedHtml).append("</p>\n");
    }

    private void card(String key, String value) {
        html.append("<div class=\"card\"><div class=\"v\">").append(e(value)).append("</div><div class=\"k\">")
                .append(e(key)).append("</div></div>");
    }

    private void row(String key, String value) {
        html.append("<tr><th>").append(e(key)).append("</th><td>").append(e(value)).append("</td></tr>\n");
    }

    private void num(long n) {
        html.append("<td class=\"num\">").append(n).append("</td>");
    }

    /** A number cell a sortable table orders by {@code data-v} (empty for NaN, which sorts last either way). */
    private void sortableNum(double v, int decimals) {
        html.append("<td class=\"num\" data-v=\"").append(Double.isFinite(v) ? Double.toString(v) : "").append("\">")
                .append(e(fmt(v, decimals))).append("</td>");
    }

    private void numText(String s) {
        html.append("<td class=\"num\">").append(e(s)).append("</td>");
    }

    private static String title(String id) {
        return switch (id) {
            case "summary" -> "Summary";
            case "configuration" -> "Configuration";
            case "dataset" -> "Dataset";
            case "training" -> "Training";
            case "throughput" -> "Throughput and timing";
            case "evaluation" -> "Evaluation";
            case "confusions" -> "Most confused classes";
            case "outputs" -> "Where the outputs are";
            default -> throw new IllegalArgumentException(id);
        };
    }

    private static String e(String s) {
        return Html.escape(s);
    }

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String seconds(double s) {
        return s < 120 ? String.format(Locale.ROOT, "%.1f s", s) : String.format(Locale.ROOT, "%.1f min", s / 60);
    }
}
