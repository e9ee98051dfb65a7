package org.sparkcnn.pipeline.evaluate;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.nd4j.evaluation.classification.Evaluation;
import org.sparkcnn.pipeline.augment.Preprocessing;
import org.sparkcnn.pipeline.checkpoint.CheckpointStore;
import org.sparkcnn.pipeline.checkpoint.ModelSource;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.device.GpuChecks;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.input.TrainingData;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code evaluate}: distributed evaluation of a checkpoint ({@code final}, {@code latest}, {@code best} or a
 * checkpoint name) on the test split; writes {@code evaluation.json} (the latest evaluation) and the
 * {@code evaluation}, {@code per_class} and {@code confusion} tables keyed by (run_id, checkpoint).
 */
public final class EvaluateJob {
    private final PrintStream out;

    public EvaluateJob(PrintStream out) {
        this.out = out;
    }

    public EvaluationResult run(SparkSession spark, PipelineConfig config, String checkpointSelector) {
        GpuChecks.beforeNd4j(JavaSparkContext.fromSparkContext(spark.sparkContext()), out);
        RunLayout run = RunLayout.of(config.output().uri(), config.run().id());
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        ShardManifest manifest = new ManifestStore(storage).require(run);
        // A selector of this run (final, latest, best, epoch-NNNN) or a checkpoint path of any run with the same classes.
        boolean path = checkpointSelector.contains("/");
        ModelSource source = path ? ModelSource.ofPath(storage, checkpointSelector)
                : ModelSource.ofRun(storage, run, checkpointSelector);
        ShardManifest modelIngest = path ? new ManifestStore(storage).require(source.run()) : manifest;
        if (path) {
            List<String> modelClasses = modelIngest.classes();
            if (!modelClasses.equals(manifest.classes())) {
                throw new BadInputException("--checkpoint " + checkpointSelector + " was trained on classes " + modelClasses
                        + ", but run " + run.root() + " has " + manifest.classes() + "; evaluate it on a run with the same classes");
            }
        }
        String checkpoint = path ? Storage.join(source.run().root(), "checkpoints", source.checkpoint()) : source.checkpoint();
        CheckpointStore store = new CheckpointStore(storage, source.run());
        store.requireTrainedOn(source.checkpoint(), modelIngest, "evaluate");
        Network network = store.loadModel(source.checkpoint());
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int batch = config.train().batchSizePerWorker();
        int topK = Math.max(1, Math.min(5, manifest.numClasses() - 1));
        if (TrainingData.examples(manifest, "test") == 0) {
            throw new BadInputException("run " + run.root() + " has no test examples to evaluate on");
        }
        // The model's own preprocessing (its run's preprocessing.json), applied to this run's test shards.
        TrainingData data = new TrainingData(storage, run, manifest, Preprocessing.read(storage, source.run())
                .orElseGet(() -> new Preprocessing(config.augment(), null)).augmenter());
        EvaluationPass pass = DistributedEvaluator.evaluate(sc, network, data.evaluation(sc, "test", batch),
                manifest.classes(), topK);
        Evaluation eval = pass.evaluation();
        double loss = pass.meanLoss();

        List<EvaluationResult.PerClass> perClass = new ArrayList<>();
        int n = manifest.numClasses();
        int[][] confusion = new int[n][n];
        for (int actual = 0; actual < n; actual++) {
            long support = 0;
            for (int predicted = 0; predicted < n; predicted++) {
                confusion[actual][predicted] = eval.getConfusionMatrix().getCount(actual, predicted);
                support += confusion[actual][predicted];
            }
            perClass.add(new EvaluationResult.PerClass(manifest.classes().get(actual), eval.precision(actual),
                    eval.recall(actual), eval.f1(actual), support));
        }
        long total = perClass.stream().mapToLong(EvaluationResult.PerClass::support).sum();
        double wp = 0;
        double wr = 0;
        double wf = 0;
        for (EvaluationResult.PerClass c : perClass) {
            double weight = total == 0 ? 0 : c.support() / (double) total;
            wp += weight * c.precision();
            wr += weight * c.recall();
            wf += weight * c.f1();
        }
        EvaluationResult result = new EvaluationResult(config.run().id(), checkpoint, pass.examples(), eval.accuracy(),
                topK, eval.topNAccuracy(), loss, eval.precision(), eval.recall(), eval.f1(), wp, wr, wf, perClass,
                manifest.classes(), confusion);
        try {
            storage.writeAtomically(run.evaluationJson(), ManifestStore.JSON.writeValueAsBytes(result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EvaluationTables.write(spark, storage, run, result);
        out.printf("evaluate: %s on %d test examples: accuracy %.4f, top-%d %.4f, loss %.4f, macro F1 %.4f%n",
                checkpoint, result.examples(), result.accuracy(), topK, result.topKAccuracy(), loss, result.macroF1());
        return result;
    }
}
