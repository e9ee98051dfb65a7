/**
 * Report: {@code report.html}, one self-contained page per run at {@code <run>/report.html}
 * ({@link org.sparkcnn.pipeline.storage.RunLayout#report()}), written by the {@code report} verb and refreshed at the
 * end of {@code train}, {@code evaluate}, {@code run} and {@code demo}.
 * {@link org.sparkcnn.pipeline.report.ReportJob} reads what the run has written ({@code RunArtifacts}: manifest,
 * {@code metrics/run.json}, {@code metrics/epochs.csv}, {@code evaluation.json}, {@code preprocessing.json},
 * checkpoint pointers), draws the charts with JFreeChart ({@code ChartRenderer}) and the example images
 * ({@code ExampleSampler}, {@code ImageGrid}, the augmentation preview of
 * {@link org.sparkcnn.pipeline.report.AugmentPreview#grid}), and {@code HtmlReportWriter} writes the page.
 *
 * <p>Contract:
 * <ul>
 *   <li>The page needs nothing else to be viewed: CSS inline, every image a {@code data:image/png;base64} URI, no
 *       external script, font or link; its Content-Security-Policy forbids network fetches.</li>
 *   <li>Every text from the run (class names, configuration, paths) is HTML-escaped. The configuration shown is the
 *       one recorded in {@code metrics/run.json} (else {@code manifest.json}), already credential-redacted.</li>
 *   <li>A section whose inputs do not exist yet (no training, no evaluation) says so; a file that exists but is
 *       unreadable is named at the top. Only failing to write the page itself fails the {@code report} verb.</li>
 *   <li>Cost is bounded whatever the corpus: at most {@value org.sparkcnn.pipeline.report.ReportJob#SAMPLE_BUDGET}
 *       examples are read for the class samples and at most
 *       {@value org.sparkcnn.pipeline.report.ReportJob#PREDICT_BUDGET} test examples are classified on the driver
 *       (with the evaluated checkpoint and the run's preprocessing) to find misclassified examples of the most
 *       confused pairs.</li>
 *   <li>After {@code train}, {@code evaluate}, {@code run} and {@code demo} a report that cannot be written is a
 *       warning on stderr naming the cause and {@code bin/pipeline report --run-id R}; the verb still succeeds.</li>
 *   <li>A small inline script marks {@code <body>} with {@code data-images-ok}, {@code data-image-count} and
 *       {@code data-errors} once the page has loaded, so a headless browser can check it rendered whole.</li>
 * </ul>
 */
package org.sparkcnn.pipeline.report;
