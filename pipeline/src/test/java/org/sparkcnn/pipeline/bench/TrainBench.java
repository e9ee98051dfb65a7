package org.sparkcnn.pipeline.bench;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.model.ModelFactory;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.ShardReader;
import org.sparkcnn.pipeline.shards.ShardSource;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plain single-JVM DL4J training (no Spark) on an ingested run's shards: the baseline for the cost of
 * parameter averaging. Same model, optimiser, batch size and epochs as the Spark run; prints one JSON line.
 * Usage: TrainBench OUTPUT_URI RUN_ID EPOCHS BATCH [--set key=value ...]
 */
public final class TrainBench {
    public static void main(String[] args) {
        org.sparkcnn.pipeline.spark.NativeBackend.configure(); // the oneDNN natives, as the pipeline loads them
        String outputUri = args[0];
        String runId = args[1];
        int epochs = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        List<String> sets = new ArrayList<>(List.of("output.uri=" + outputUri, "run.id=" + runId));
        for (int i = 4; i + 1 < args.length; i += 2) {
            sets.add(args[i + 1]);
        }
        PipelineConfig config = ConfigLoader.load(null, sets);
        Storage storage = Storage.of(new Configuration());
        RunLayout run = RunLayout.of(outputUri, runId);
        ShardManifest manifest = new ManifestStore(storage).require(run);
        DataSet train = load(storage, run, manifest, "train");
        DataSet test = load(storage, run, manifest, "test");
        MultiLayerNetwork net = new MultiLayerNetwork(ModelFactory.build(config.model(), manifest.height(),
                manifest.width(), manifest.channels(), manifest.numClasses(), config.train(), config.seed()));
        net.init();
        org.sparkcnn.pipeline.model.Network.of(net); // oneDNN helpers and the in-place updater, as the pipeline's workers have
        double fitSeconds = 0;
        long seen = 0;
        for (int e = 1; e <= epochs; e++) {
            train.shuffle(config.seed() + e);
            List<DataSet> batches = train.batchBy(batch);
            long t0 = System.nanoTime();
            for (DataSet b : batches) {
                net.fit(b);
            }
            fitSeconds += (System.nanoTime() - t0) / 1e9;
            seen += train.numExamples();
        }
        Evaluation eval = net.evaluate(new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(test.batchBy(256)));
        System.out.printf(Locale.ROOT, "{\"who\": \"ours, plain MultiLayerNetwork.fit (1 JVM, no Spark)\", \"train_images\": %d, "
                        + "\"train_samples_per_s\": %.1f, \"test_accuracy\": %.4f}%n", train.numExamples(), seen / fitSeconds,
                eval.accuracy());
    }

    private static DataSet load(Storage storage, RunLayout run, ShardManifest manifest, String split) {
        List<DataSet> parts = new ArrayList<>();
        for (ShardInfo s : manifest.shardsOf(split)) {
            DataSet raw = ShardSource.of(storage, run, manifest).read(s.path());
            parts.add(new DataSet(raw.getFeatures().castTo(DataType.FLOAT).muli(1.0 / 255), raw.getLabels()));
        }
        return DataSet.merge(parts);
    }
}
