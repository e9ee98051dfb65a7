package org.sparkcnn.pipeline.report;

import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.augment.AugmentConfig;
import org.sparkcnn.pipeline.augment.Preprocessing;
import org.sparkcnn.pipeline.checkpoint.CheckpointStore;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.evaluate.EvaluationResult;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.ShardReader;
import org.sparkcnn.pipeline.shards.ShardSource;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code report}: writes {@code <run>/report.html}, one self-contained page about a run (configuration, dataset,
 * training curves, throughput, evaluation, most confused classes, where the outputs are) from whatever the run has
 * written so far. Everything runs on the driver and reads a bounded number of examples, so it costs seconds on any
 * corpus. Written with {@link Storage#writeAtomically}, so it works on {@code hdfs:} and {@code s3a:} too.
 */
public final class ReportJob {
    /** At most this many examples are read for the per-class sample images. */
    static final int SAMPLE_BUDGET = 2_000;
    /** At most this many test examples are classified to find misclassified examples of the top pairs. */
    static final int PREDICT_BUDGET = 1_024;
    static final int TOP_PAIRS = 5;
    static final int PER_PAIR = 8;
    static final int THUMB = 64;
    /** The most classes whose sample images the page shows (about 30 KB each). */
    static final int SAMPLE_CLASSES = 24;
    static final int PREVIEW_ROWS = 4;
    private static final int PREDICT_BATCH = 64;

    private final PrintStream out;

    public ReportJob(PrintStream out) {
        this.out = out;
    }

    /**
     * Writes the report of {@code config}'s run; returns its URI. Fails only when the run folder does not exist
     * ({@link BadInputException}) or the file cannot be written.
     */
    public String run(SparkSession spark, PipelineConfig config) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        long t0 = System.nanoTime();
        RunLayout layout = RunLayout.of(config.output().uri(), config.run().id());
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        if (!storage.isDirectory(layout.root())) {
            throw new BadInputException("run " + layout.root() + " does not exist; pass the --run-id of an existing run "
                    + "(and its output.uri)");
        }
        RunArtifacts run = RunArtifacts.load(storage, layout, config.run().id());
        ReportFigures figures = figures(storage, run, config);
        String html = HtmlReportWriter.render(run, figures, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
        storage.writeAtomically(layout.report(), bytes);
        out.printf(Locale.ROOT, "report: %s (%d KiB, %.1f s)%n", layout.report(), bytes.length / 1024,
                (System.nanoTime() - t0) / 1e9);
        return layout.report();
    }

    /**
     * The report after {@code verb} succeeded: a report that cannot be written is a warning on {@code err} naming
     * the cause and how to retry, never the verb's failure. Returns whether it was written.
     */
    public boolean runAfter(String verb, SparkSession spark, PipelineConfig config, PrintStream err) {
        try {
            run(spark, config);
            return true;
        } catch (Exception | LinkageError | InternalError e) {
            // LinkageError and InternalError: what AWT throws on a host without fonts or graphics libraries.
            err.printf("warning: %s succeeded, but its run report %s could not be written: %s; retry with "
                            + "`bin/pipeline report --run-id %s`%n", verb,
                    RunLayout.of(config.output().uri(), config.run().id()).report(), e, config.run().id());
            return false;
        }
    }

    private ReportFigures figures(Storage storage, RunArtifacts run, PipelineConfig config) {
        BufferedImage loss = null;
        BufferedImage accuracy = null;
        BufferedImage throughput = null;
        if (!run.epochs().isEmpty()) {
            loss = ChartRenderer.loss(run.epochs());
            accuracy = ChartRenderer.accuracy(run.epochs());
            throughput = ChartRenderer.throughput(run.epochs());
        }
        BufferedImage confusion = null;
        List<ConfusedPairs.Pair> pairs = List.of();
        if (run.evaluation().isPresent()) {
            EvaluationResult ev = run.evaluation().get();
            pairs = ConfusedPairs.top(ev.confusion(), ev.classes(), TOP_PAIRS);
            confusion = ChartRenderer.confusion(ev.confusion(), ev.classes(), pairs);
        }
        if (run.manifest().isEmpty()) {
            return new ReportFigures(loss, accuracy, throughput, confusion, null,
                    "No preview: the run has no committed ingest yet.", Map.of(),
                    "No samples: the run has no committed ingest yet.", List.of(), "");
        }
        ShardManifest manifest = run.manifest().get();
        ExampleSampler sampler = new ExampleSampler(storage, run.layout(), manifest, THUMB);

        String sampleSplit = manifest.shardsOf("train").isEmpty() ? "test" : "train";
        int perClass = manifest.numClasses() <= 20 ? 8 : 4;
        ExampleSampler.Sampled samples = sampler.sample(sampleSplit, perClass, SAMPLE_BUDGET, null, List.of(), 0);
        Map<Integer, BufferedImage> classSamples = new HashMap<>();
        List<Integer> shown = sampledClasses(manifest.numClasses());
        for (int k : shown) {
            BufferedImage strip = ImageGrid.strip(samples.ofClass(k));
            if (strip != null) {
                classSamples.put(k, strip);
            }
        }
        String samplesNote = String.format(Locale.ROOT, "Up to %d images per class, the first found in the %s shards "
                + "(%d examples read), as stored (before augmentation and rescaling).", perClass, sampleSplit, samples.scanned())
                + (shown.size() < manifest.numClasses() ? String.format(Locale.ROOT, " %d of the %d classes are shown, "
                + "evenly spaced through the class list, so the page stays small; the tables cover every class.",
                shown.size(), manifest.numClasses()) : "");

        Preprocessing preprocessing = run.preprocessing().orElseGet(() -> new Preprocessing(config.augment(), null));
        BufferedImage preview = null;
        String augmentNote;
        List<ShardInfo> trainShards = manifest.shardsOf("train");
        if (trainShards.isEmpty()) {
            augmentNote = "No preview: the run has no training shards.";
        } else {
            String shardPath = trainShards.get(0).path();
            DataSet raw = ShardSource.of(storage, run.layout(), manifest).read(shardPath);
            AugmentConfig augment = preprocessing.augment();
            preview = AugmentPreview.grid(raw, shardPath, manifest, augment, run.seed(config.seed()), PREVIEW_ROWS, null);
            augmentNote = "Each row: a training image as stored, then as training epochs 1 to 4 draw it (before rescaling). "
                    + (augment.isIdentity() ? "No random augmentation is configured, so every epoch sees the original."
                    : "Settings: " + augment) + (run.preprocessing().isEmpty()
                    ? " (from this command's configuration: the run has no preprocessing.json yet)" : " (from preprocessing.json)");
        }

        List<ReportFigures.PairFigure> pairFigures = new ArrayList<>();
        String pairsNote = "";
        if (!pairs.isEmpty()) {
            ExampleSampler.Sampled wrong = null;
            String checkpoint = run.evaluation().get().checkpoint();
            try {
                Network network = new CheckpointStore(storage, run.layout()).loadModel(checkpoint);
                wrong = sampler.sample("test", 0, PREDICT_BUDGET, classifier(network, preprocessing), pairs, PER_PAIR);
                pairsNote = String.format(Locale.ROOT, "Misclassified images: found by classifying the first %d test "
                        + "examples with checkpoint %s (at most %d per pair).", wrong.scanned(), checkpoint, PER_PAIR);
            } catch (RuntimeException e) {
                pairsNote = "Misclassified images are not shown: checkpoint " + checkpoint + " could not be used ("
                        + e.getMessage() + "); sample images of both classes follow.";
            }
            for (ConfusedPairs.Pair p : pairs) {
                pairFigures.add(new ReportFigures.PairFigure(p,
                        wrong == null ? null : ImageGrid.strip(wrong.misclassifiedAs(p.actual(), p.predicted())),
                        classSamples.get(p.actual()), classSamples.get(p.predicted())));
            }
        }
        return new ReportFigures(loss, accuracy, throughput, confusion, preview, augmentNote, classSamples, samplesNote,
                pairFigures, pairsNote);
    }

    /** Predicts as evaluation does: the run's rescaling and standardisation (no augmentation), then argmax. */
    private static ExampleSampler.Classifier classifier(Network network, Preprocessing preprocessing) {
        return raw -> {
            DataSet ready = preprocessing.augmenter().rescaleOnly(raw);
            int n = ready.numExamples();
            int[] predicted = new int[n];
            int at = 0;
            for (DataSet batch : ShardReader.cut(ready, PREDICT_BATCH)) {
                INDArray output = network.output(batch.getFeatures());
                for (int p : output.argMax(1).toIntVector()) {
                    predicted[at++] = p;
                }
            }
            return predicted;
        };
    }

    /** The classes whose samples the page shows: all up to {@link #SAMPLE_CLASSES}, else that many evenly spaced. */
    static List<Integer> sampledClasses(int classes) {
        if (classes <= SAMPLE_CLASSES) {
            return IntStream.range(0, classes).boxed().toList();
        }
        return IntStream.range(0, SAMPLE_CLASSES)
                .mapToObj(i -> (int) ((long) i * classes / SAMPLE_CLASSES)).toList();
    }
}
