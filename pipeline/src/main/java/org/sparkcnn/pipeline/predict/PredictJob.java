package org.sparkcnn.pipeline.predict;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkcnn.pipeline.augment.Preprocessing;
import org.sparkcnn.pipeline.checkpoint.CheckpointStore;
import org.sparkcnn.pipeline.checkpoint.ModelSource;
import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.ResizeMode;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.device.DeviceBinding;
import org.sparkcnn.pipeline.device.GpuChecks;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.ingest.DecodedImage;
import org.sparkcnn.pipeline.ingest.ImageDecoder;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.spark.ClusterPaths;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * {@code predict}: classifies image files, folders or globs on any Hadoop filesystem with a run's checkpoint
 * (or a saved model's path), on the executors. Preprocessing (shape, channels, resize mode, rescale,
 * standardisation, crop) comes from the model's run (manifest.json, preprocessing.json), never from the user.
 * Writes a Parquet table and a CSV copy; unreadable or missing inputs get a row with the reason, and the job
 * does not fail on them. A handful of inputs are printed as the tutorials do: {@code beignets with 87.31%
 * confidence} and the top 3.
 */
public final class PredictJob {
    static final int TOP = 3;
    /**
     * Inputs classified by one forward pass on an executor. On the CPU larger minibatches were not faster (the
     * food101 net at 200x200 on local[2], 800 photographs: 64 gave 47 images/s, 16 gave 63, one at a time 69, with 8
     * tasks each reading the model); they keep a GPU busy, and 16 keeps a 200x200 minibatch's activations near
     * 100 MB.
     */
    static final int MINIBATCH = 16;
    /** The most inputs one predict task takes (it reads the model once). */
    static final int FILES_PER_TASK = 2_000;
    /** Up to this many inputs, every row is printed; above it, a summary and the first rows. */
    static final int PRINT_ALL_UP_TO = 20;
    private final PrintStream out;

    public PredictJob(PrintStream out) {
        this.out = out;
    }

    /**
     * @param checkpointSelector used with the config's run id when {@code modelPath} is empty
     * @param modelPath          a checkpoint of any run ({@code <run>/checkpoints/epoch-NNNN}, its model.zip or a pointer), or empty
     * @param outputUri          the output folder, or empty for the model run's {@code predictions/}
     */
    public PredictResult run(SparkSession spark, PipelineConfig config, String checkpointSelector, String modelPath,
                             String outputUri, List<String> inputs) {
        if (inputs.isEmpty()) {
            throw new BadInputException("predict needs at least one image file, folder or glob, e.g. "
                    + "bin/pipeline predict --run-id R photo.jpg 'photos/*.jpg'");
        }
        GpuChecks.beforeNd4j(JavaSparkContext.fromSparkContext(spark.sparkContext()), out);
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        ModelSource source = modelPath == null || modelPath.isEmpty()
                ? ModelSource.ofRun(storage, RunLayout.of(config.output().uri(), config.run().id()), checkpointSelector)
                : ModelSource.ofPath(storage, modelPath);
        RunLayout run = source.run();
        ShardManifest manifest = new ManifestStore(storage).require(run);
        CheckpointStore store = new CheckpointStore(storage, run);
        store.requireTrainedOn(source.checkpoint(), manifest, "predict");
        byte[] model = store.loadModel(source.checkpoint()).toBytes(false);
        String modelUri = store.modelUri(source.checkpoint());
        List<String> files = PredictionInputs.expand(storage, inputs);
        ImageConfig image = imageOf(manifest);
        ImageDecoder decoder = decoderFor(manifest, config);
        List<String> classes = manifest.classes();
        Preprocessing preprocessing = Preprocessing.read(storage, run)
                .orElseGet(() -> new Preprocessing(config.augment(), null));
        out.printf("predict: %d input(s) with %s checkpoint %s%n", files.size(), run.root(), source.checkpoint());

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // Executors on other machines cannot read the driver's disk: its files travel with the tasks.
        boolean fromDriver = ClusterPaths.executorsElsewhere(sc.master()) && !config.output().sharedLocalFilesystem();
        List<PredictionInput> work = PredictionInputs.ship(storage, files, fromDriver, PredictionInputs.MAX_SHIPPED_BYTES);
        long shipped = work.stream().filter(i -> i.shipped() != null).count();
        if (shipped > 0) {
            out.printf("predict: %d input(s) on the driver's disk are sent to the executors with their tasks%n", shipped);
        }
        long started = System.nanoTime();
        Broadcast<byte[]> modelBytes = sc.broadcast(model);
        // Each task reads the model once (a zip parse and a network build, a sizeable share of a small task), so a
        // task takes up to FILES_PER_TASK inputs: one task per core for fewer, more tasks for more.
        int partitions = Math.max(1, Math.min(files.size(),
                Math.max(sc.defaultParallelism(), (files.size() + FILES_PER_TASK - 1) / FILES_PER_TASK)));
        JavaRDD<Prediction> predictions = sc.parallelize(work, partitions).mapPartitions(paths -> {
            DeviceBinding.bindTask();
            Network net = Network.read(modelBytes.value(), false, modelUri);
            Minibatcher batches = new Minibatcher(net, classes, MINIBATCH);
            while (paths.hasNext()) {
                batches.add(prepare(storage, decoder, image, preprocessing, paths.next()));
            }
            return batches.finish().iterator();
        }).persist(StorageLevel.MEMORY_AND_DISK_SER());
        try {
            String folder = outputUri == null || outputUri.isEmpty() ? run.predictions() : Storage.qualify(outputUri);
            String table = Storage.join(folder, "parquet");
            String csv = Storage.join(folder, "predictions.csv");
            PredictionTable.writeParquet(spark, predictions, table);
            double seconds = (System.nanoTime() - started) / 1e9;   // classified and written once, cached for the rest
            PredictionTable.writeCsv(storage, predictions.toLocalIterator(), TOP, csv);
            long unreadable = predictions.filter(p -> !p.ok()).count();
            List<Prediction> first = predictions.take(PRINT_ALL_UP_TO);
            print(first, files.size(), unreadable, table, csv);
            out.printf(Locale.ROOT, "predict: %d input(s) read, decoded and classified in %.1f s (%.0f images/s, "
                    + "minibatches of %d)%n", files.size(), seconds, files.size() / Math.max(1e-9, seconds), MINIBATCH);
            modelBytes.destroy();
            return new PredictResult(files.size(), unreadable, table, csv, first);
        } finally {
            predictions.unpersist(false);
        }
    }

    private void print(List<Prediction> first, long total, long unreadable, String table, String csv) {
        for (Prediction p : first.subList(0, (int) Math.min(first.size(), total > PRINT_ALL_UP_TO ? 5 : PRINT_ALL_UP_TO))) {
            out.printf("%s: %s%n", p.path(), p.sentence());
            if (p.ok()) {
                for (int i = 0; i < p.topClasses().size(); i++) {
                    out.printf(Locale.ROOT, "    %d. %s %.2f%%%n", i + 1, p.topClasses().get(i), 100 * p.topProbabilities().get(i));
                }
            }
        }
        if (total > PRINT_ALL_UP_TO) {
            out.printf("... %d more%n", total - 5);
        }
        out.printf("predict: %d classified, %d unreadable; table %s, CSV %s%n", total - unreadable, unreadable, table, csv);
    }

    /** The shape and resize mode a run's images were ingested with. */
    public static ImageConfig imageOf(ShardManifest manifest) {
        return new ImageConfig(manifest.height(), manifest.width(), manifest.channels(),
                ResizeMode.valueOf(manifest.resizeMode().toUpperCase(Locale.ROOT).replace('-', '_')));
    }

    /** A decoder that turns any image file into the run's ingested shape, as ingest did. */
    public static ImageDecoder decoderFor(ShardManifest manifest, PipelineConfig config) {
        return new ImageDecoder(imageOf(manifest), 1, config.ingest().maxPixels(), config.ingest().decoder());
    }

    /**
     * One input read, decoded and preprocessed for the network (a {@code [1, c, h, w]} array), or the row that says
     * why it cannot be classified.
     */
    static PreparedInput prepare(Storage storage, ImageDecoder decoder, ImageConfig image, Preprocessing preprocessing,
                                 PredictionInput input) {
        String path = input.path();
        byte[] bytes = input.shipped();
        if (bytes == null) {
            try (InputStream in = storage.open(path)) {
                bytes = in.readAllBytes();
            } catch (FileNotFoundException e) {
                return PreparedInput.failed(path, "NOT_FOUND: no such file (or nothing matched the glob)");
            } catch (IOException | RuntimeException e) {
                return PreparedInput.failed(path, "UNREADABLE: " + e.getMessage());
            }
        }
        DecodedImage decoded;
        try {
            decoded = decoder.decode(bytes);
        } catch (RuntimeException e) {
            return PreparedInput.failed(path, "UNREADABLE: " + e);
        }
        if (!decoded.isOk()) {
            return PreparedInput.failed(path, decoded.rejectReason() + ": " + decoded.rejectMessage());
        }
        // Exactly the evaluation path's preprocessing: rescale, standardisation, centre crop when training cropped.
        return PreparedInput.of(path, preprocessing.networkInput(decoded.pixels(), image.channels(), image.height(),
                image.width()));
    }

    /** The prediction row of one input from its class probabilities: the top {@value #TOP} classes. */
    static Prediction predictionOf(String path, double[] p, List<String> classes) {
        List<Integer> order = IntStream.range(0, p.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -p[i])).limit(Math.min(TOP, p.length)).toList();
        return new Prediction(path, order.stream().map(classes::get).toList(), order.stream().map(i -> p[i]).toList(), null);
    }
}
