package org.sparkcnn.pipeline.filters;

import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.augment.Preprocessing;
import org.sparkcnn.pipeline.checkpoint.CheckpointStore;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.ingest.DecodedImage;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.predict.PredictJob;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.ShardSource;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * {@code filters}: pictures of what convolutions do, under {@code <run>/filters/}.
 * <ul>
 *   <li>{@code --kernel sobel|edge|blur --image PATH}: a classic fixed 3x3 kernel on the grayscale image, before
 *   and after side by side ({@code filters/<kernel>-<image>.png}); needs no trained model.</li>
 *   <li>otherwise, with a trained run's checkpoint ({@code --checkpoint}, default final): the first convolution
 *   layer's kernels ({@code filters/<checkpoint>/kernels-<layer>.png}), the input image ({@code input.png}), and its
 *   feature maps in the first {@value #MAPPED_LAYERS} convolution layers ({@code feature-maps-<index>-<layer>.png}).
 *   The image is {@code --image} (decoded and resized as ingest did) or the first test example, preprocessed as
 *   training did ({@link Preprocessing#networkInput}).</li>
 * </ul>
 */
public final class FiltersJob {
    static final int MAPPED_LAYERS = 3;
    private final PrintStream out;

    public FiltersJob(PrintStream out) {
        this.out = out;
    }

    public FiltersResult run(SparkSession spark, PipelineConfig config, String checkpointSelector, String image,
                             String kernel) {
        RunLayout run = RunLayout.of(config.output().uri(), config.run().id());
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        List<String> written = new ArrayList<>();
        if (kernel != null) {
            if (image == null) {
                throw new BadInputException("filters --kernel " + kernel + " needs --image PATH (an image file to filter)");
            }
            classic(storage, run, ClassicKernel.parse(kernel), image, written);
        } else {
            learned(storage, run, config, checkpointSelector, image, written);
        }
        for (String w : written) {
            out.println("filters: wrote " + w);
        }
        return new FiltersResult(written);
    }

    private static void classic(Storage storage, RunLayout run, ClassicKernel kernel, String image, List<String> written) {
        String uri = Storage.qualify(image);
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(readImage(storage, uri)));
        } catch (IOException e) {
            throw new BadInputException("--image " + uri + " cannot be decoded: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new BadInputException("--image " + uri + " is not an image ImageIO can read (PNG, JPEG, BMP, GIF)");
        }
        String name = safe(uri.substring(uri.lastIndexOf('/') + 1).replaceFirst("\\.[^.]*$", ""));
        written.add(writePng(storage, Storage.join(run.filters(), kernel.cliName() + "-" + name + ".png"),
                kernel.beforeAfter(ClassicKernel.grayscale(img))));
    }

    private static void learned(Storage storage, RunLayout run, PipelineConfig config, String selector, String image,
                                List<String> written) {
        ShardManifest manifest = new ManifestStore(storage).require(run);
        CheckpointStore checkpoints = new CheckpointStore(storage, run);
        String checkpoint = checkpoints.select(selector);
        checkpoints.requireTrainedOn(checkpoint, manifest, "filters");
        Network network = checkpoints.loadModel(checkpoint);
        List<ConvolutionLayers.Conv> convs = ConvolutionLayers.of(network);
        if (convs.isEmpty()) {
            throw new BadInputException("run " + run.root() + " checkpoint " + checkpoint
                    + " has no 2-D convolution layer to show");
        }
        String dir = Storage.join(run.filters(), checkpoint);
        ConvolutionLayers.Conv first = convs.get(0);
        written.add(writePng(storage, Storage.join(dir, "kernels-" + safe(first.name()) + ".png"),
                KernelGrid.render(first.weights())));

        float[] raw = image == null ? firstStoredExample(storage, run, manifest) : decode(storage, manifest, config, image);
        int c = manifest.channels();
        int h = manifest.height();
        int w = manifest.width();
        written.add(writePng(storage, Storage.join(dir, "input.png"), picture(raw, c, h, w)));
        Preprocessing preprocessing = Preprocessing.read(storage, run).orElseGet(() -> new Preprocessing(config.augment(), null));
        INDArray input = preprocessing.networkInput(raw, c, h, w);
        Map<String, INDArray> activations = ConvolutionLayers.activations(network, input);
        for (ConvolutionLayers.Conv conv : convs.subList(0, Math.min(MAPPED_LAYERS, convs.size()))) {
            written.add(writePng(storage, Storage.join(dir, "feature-maps-" + conv.index() + "-" + safe(conv.name()) + ".png"),
                    FeatureMapGrid.render(activations.get(conv.name()))));
        }
    }

    private static float[] decode(Storage storage, ShardManifest manifest, PipelineConfig config, String image) {
        String uri = Storage.qualify(image);
        DecodedImage decoded = PredictJob.decoderFor(manifest, config).decode(readImage(storage, uri));
        if (!decoded.isOk()) {
            throw new BadInputException("--image " + uri + ": " + decoded.rejectReason() + ": " + decoded.rejectMessage());
        }
        float[] raw = new float[decoded.pixels().length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = decoded.pixels()[i] & 0xff;
        }
        return raw;
    }

    /** The first example of the test split (else validation, else train), as ingested (0..255). */
    private static float[] firstStoredExample(Storage storage, RunLayout run, ShardManifest manifest) {
        for (String split : List.of("test", "validation", "train")) {
            for (ShardInfo shard : manifest.shardsOf(split)) {
                DataSet ds = ShardSource.of(storage, run, manifest).read(shard.path());
                if (ds.numExamples() > 0) {
                    INDArray one = ds.getFeatures().get(org.nd4j.linalg.indexing.NDArrayIndex.point(0));
                    return one.castTo(DataType.FLOAT).dup('c').data().asFloat();
                }
            }
        }
        throw new BadInputException("run " + run.root() + " has no stored examples; pass --image PATH");
    }

    private static byte[] readImage(Storage storage, String uri) {
        if (!storage.exists(uri) || storage.isDirectory(uri)) {
            throw new BadInputException("--image " + uri + " is not an existing image file");
        }
        return storage.readAll(uri);
    }

    /** Raw 0..255 channel-major pixels (RGB or gray) as a picture. */
    static BufferedImage picture(float[] chw, int c, int h, int w) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            int r = clamp(chw[i]);
            int g = c == 3 ? clamp(chw[plane + i]) : r;
            int b = c == 3 ? clamp(chw[2 * plane + i]) : r;
            img.setRGB(i % w, i / w, (r << 16) | (g << 8) | b);
        }
        return img;
    }

    private static String writePng(Storage storage, String uri, BufferedImage img) {
        storage.writeAtomically(uri, o -> {
            if (!ImageIO.write(img, "png", o)) {
                throw new IOException("no PNG writer");
            }
        });
        return uri;
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
