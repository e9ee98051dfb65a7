package org.sparkcnn.pipeline.predict;

import org.sparkcnn.pipeline.model.Network;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.ResizeMode;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.ingest.DecodedImage;
import org.sparkcnn.pipeline.ingest.ImageDecoder;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;
import org.sparkcnn.pipeline.train.CheckpointStore;
import org.sparkcnn.pipeline.train.Preprocessing;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * {@code predict}: classifies image files or folders on any Hadoop filesystem with a run's checkpoint, on
 * the executors. Preprocessing (shape, channels, resize mode, rescale) comes from the run's manifest, never
 * from the user. Unreadable inputs get a row with the reason; the job does not fail on them.
 */
public final class PredictJob {
    private static final int TOP = 3;
    private final PrintStream out;

    public PredictJob(PrintStream out) {
        this.out = out;
    }

    public List<Prediction> run(SparkSession spark, PipelineConfig config, String checkpointSelector, List<String> inputs) {
        if (inputs.isEmpty()) {
            throw new BadInputException("predict needs at least one image file or folder, e.g. bin/pipeline predict --run-id R photo.jpg");
        }
        RunLayout run = RunLayout.of(config.output().uri(), config.run().id());
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        ShardManifest manifest = new ManifestStore(storage).require(run);
        CheckpointStore checkpoints = new CheckpointStore(storage, run);
        String checkpoint = checkpoints.select(checkpointSelector);
        byte[] model = checkpoints.loadModel(checkpoint).toBytes(false);
        List<String> files = expand(storage, inputs);
        ImageConfig image = imageOf(manifest);
        ImageDecoder decoder = decoderFor(manifest, config);
        List<String> classes = manifest.classes();
        Preprocessing preprocessing = Preprocessing.read(storage, run)
                .orElseGet(() -> new Preprocessing(config.augment(), null));

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> modelBytes = sc.broadcast(model);
        int partitions = Math.max(1, Math.min(files.size(), sc.defaultParallelism()));
        List<Prediction> predictions = sc.parallelize(files, partitions).mapPartitions(paths -> {
            Network net = Network.read(modelBytes.value(), false);
            List<Prediction> result = new ArrayList<>();
            while (paths.hasNext()) {
                result.add(predictOne(storage, decoder, net, image, preprocessing, classes, paths.next()));
            }
            return result.iterator();
        }).collect();

        for (Prediction p : predictions) {
            out.printf("%s: %s%n", p.path(), p.sentence());
            if (p.ok()) {
                for (int i = 0; i < p.topClasses().size(); i++) {
                    out.printf(Locale.ROOT, "    %d. %s %.2f%%%n", i + 1, p.topClasses().get(i), 100 * p.topProbabilities().get(i));
                }
            }
        }
        storage.writeString(Storage.join(run.root(), "predictions", "predictions.csv"), csv(predictions));
        return predictions;
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

    static Prediction predictOne(Storage storage, ImageDecoder decoder, Network net, ImageConfig image,
                                 Preprocessing preprocessing, List<String> classes, String path) {
        byte[] bytes;
        try (InputStream in = storage.open(path)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            return new Prediction(path, List.of(), List.of(), "UNREADABLE: " + e.getMessage());
        }
        DecodedImage decoded = decoder.decode(bytes);
        if (!decoded.isOk()) {
            return new Prediction(path, List.of(), List.of(), decoded.rejectReason() + ": " + decoded.rejectMessage());
        }
        float[] raw = new float[decoded.pixels().length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = decoded.pixels()[i] & 0xff;
        }
        // Exactly the evaluation path's preprocessing: rescale, standardisation, centre crop when training cropped.
        INDArray input = preprocessing.networkInput(raw, image.channels(), image.height(), image.width());
        INDArray probabilities = net.output(input).castTo(DataType.DOUBLE);
        double[] p = probabilities.toDoubleVector();
        List<Integer> order = IntStream.range(0, p.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -p[i])).limit(Math.min(TOP, p.length)).toList();
        return new Prediction(path, order.stream().map(classes::get).toList(), order.stream().map(i -> p[i]).toList(), null);
    }

    private static List<String> expand(Storage storage, List<String> inputs) {
        List<String> files = new ArrayList<>();
        for (String input : inputs) {
            String uri = Storage.qualify(input);
            if (storage.isDirectory(uri)) {
                for (FileStatus f : storage.listFiles(uri, true)) {
                    files.add(f.getPath().toString());
                }
            } else {
                files.add(uri);
            }
        }
        return files;
    }

    static String csv(List<Prediction> predictions) {
        StringBuilder sb = new StringBuilder("path,class_1,probability_1,class_2,probability_2,class_3,probability_3,error\n");
        for (Prediction p : predictions) {
            sb.append(quote(p.path()));
            for (int i = 0; i < TOP; i++) {
                boolean has = i < p.topClasses().size();
                sb.append(',').append(has ? quote(p.topClasses().get(i)) : "")
                        .append(',').append(has ? String.format(Locale.ROOT, "%.6f", p.topProbabilities().get(i)) : "");
            }
            sb.append(',').append(p.error() == null ? "" : quote(p.error())).append('\n');
        }
        return sb.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
