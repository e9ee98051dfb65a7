package org.sparkcnn.pipeline.filters;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.cli.PipelineCli;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.demo.SyntheticCorpus;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.ingest.IngestJob;
import org.sparkcnn.pipeline.predict.PredictJob;
import org.sparkcnn.pipeline.predict.Prediction;
import org.sparkcnn.pipeline.storage.Storage;
import org.sparkcnn.pipeline.testing.LocalSpark;
import org.sparkcnn.pipeline.train.TrainJob;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code filters} on a tiny trained LeNet run: the PNGs decode, have the expected sizes and are not blank. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FiltersIT {
    @TempDir
    static Path tmp;
    static SparkSession spark;
    static PipelineConfig config;
    static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @BeforeAll
    static void tinyRun() {
        spark = LocalSpark.start("FiltersIT");
        SyntheticCorpus.write(Storage.of(spark.sparkContext().hadoopConfiguration()),
                tmp.resolve("corpus").toUri().toString(), 2, 30, 32, 5);
        config = ConfigLoader.load(null, List.of("output.uri=" + tmp.resolve("wh").toUri(), "run.id=tiny",
                "corpus.uri=" + tmp.resolve("corpus").toUri(), "corpus.layout=food101", "image.height=32",
                "image.width=32", "train.epochs=1", "train.batch-size-per-worker=16"));
        new IngestJob(QUIET).run(spark, config);
        new TrainJob(QUIET).run(spark, config);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static BufferedImage png(String uri) throws Exception {
        BufferedImage img = ImageIO.read(new File(java.net.URI.create(uri)));
        assertTrue(img != null, uri + " decodes");
        return img;
    }

    /** More than two distinct colours: not a blank or flat picture. */
    static boolean varied(BufferedImage img) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                colours.add(img.getRGB(x, y) & 0xffffff);
            }
        }
        return colours.size() > 2 + 1;
    }

    @Test
    @Order(1)
    void learnedKernelsAndFeatureMapsOfTheFirstTestExample() throws Exception {
        FiltersResult r = new FiltersJob(QUIET).run(spark, config, "final", null, null);
        // kernels of layer0, the input, then feature maps of both convolutions (lenet has two).
        assertEquals(4, r.written().size(), r.written().toString());
        assertTrue(r.written().get(0).endsWith("/tiny/filters/epoch-0001/kernels-layer0.png"), r.written().get(0));
        BufferedImage kernels = png(r.written().get(0));
        assertEquals(3 * 40 + 4 * 2, kernels.getWidth(), "6 kernels 5x5x3: 3 columns of 40 px");
        assertEquals(2 * 40 + 3 * 2, kernels.getHeight());
        assertTrue(varied(kernels));
        BufferedImage input = png(r.written().get(1));
        assertEquals(32, input.getWidth());
        assertTrue(varied(input));
        BufferedImage first = png(r.written().get(2));
        assertTrue(r.written().get(2).endsWith("feature-maps-0-layer0.png"), r.written().get(2));
        assertEquals(TileGrid.of(6, 28, 28, FeatureMapGrid.MIN_TILE).width(), first.getWidth(), "6 maps of 28x28");
        assertTrue(varied(first));
        BufferedImage second = png(r.written().get(3));
        assertTrue(r.written().get(3).endsWith("feature-maps-2-layer2.png"), r.written().get(3));
        assertEquals(TileGrid.of(16, 10, 10, FeatureMapGrid.MIN_TILE).height(), second.getHeight(), "16 maps of 10x10");
        assertTrue(varied(second));
    }

    @Test
    @Order(2)
    void anImageFileIsDecodedAndPreprocessedAsForPrediction() throws Exception {
        Path image = tmp.resolve("corpus/images/circle/00000.jpg");
        FiltersResult r = new FiltersJob(QUIET).run(spark, config, "final", image.toString(), null);
        assertEquals(4, r.written().size());
        assertTrue(varied(png(r.written().get(2))));
        // The prediction path uses the same preprocessing (Preprocessing.networkInput).
        List<Prediction> p = new PredictJob(QUIET).run(spark, config, "final", "", "", List.of(image.toString())).firstRows();
        assertTrue(p.get(0).ok(), p.get(0).sentence());
        assertTrue(List.of("circle", "square").contains(p.get(0).topClasses().get(0)));
        BadInputException notImage = assertThrows(BadInputException.class, () -> new FiltersJob(QUIET).run(spark, config,
                "final", tmp.resolve("corpus/meta/classes.txt").toString(), null));
        assertTrue(notImage.getMessage().contains("--image"), notImage.getMessage());
    }

    @Test
    @Order(3)
    void classicKernelNeedsOnlyAnImage() throws Exception {
        Path image = tmp.resolve("corpus/images/square/00000.jpg");
        PipelineConfig noRun = ConfigLoader.load(null, List.of("output.uri=" + tmp.resolve("wh").toUri(), "run.id=untrained"));
        FiltersResult r = new FiltersJob(QUIET).run(spark, noRun, "final", image.toUri().toString(), "sobel");
        assertEquals(1, r.written().size());
        assertTrue(r.written().get(0).endsWith("/untrained/filters/sobel-00000.png"), r.written().get(0));
        BufferedImage img = png(r.written().get(0));
        assertEquals(32, img.getHeight());
        assertEquals(2 * 32 + 4 * TileGrid.GAP, img.getWidth());
        assertTrue(varied(img));
        BadInputException e = assertThrows(BadInputException.class,
                () -> new FiltersJob(QUIET).run(spark, noRun, "final", null, "blur"));
        assertTrue(e.getMessage().contains("--image"), e.getMessage());
    }

    @Test
    @Order(4)
    void theCliVerbPrintsThePathsItWrote() throws Exception {
        spark.stop();   // the CLI starts and stops its own session
        Path image = tmp.resolve("corpus/images/circle/00000.jpg");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PipelineCli cli = new PipelineCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, cli.execute(new String[]{"filters", "--run-id", "tiny", "--set", "spark.master=local[2]",
                "--set", "output.uri=" + tmp.resolve("wh").toUri(), "--kernel", "edge", "--image", image.toString()}),
                err.toString());
        assertTrue(out.toString().contains("filters: wrote ") && out.toString().contains("edge-00000.png"), out.toString());
        assertTrue(Files.isRegularFile(tmp.resolve("wh/tiny/filters/edge-00000.png")));
        assertEquals(0, cli.execute(new String[]{"filters", "--run-id", "tiny", "--set", "spark.master=local[2]",
                "--set", "output.uri=" + tmp.resolve("wh").toUri(), "--checkpoint", "epoch-0001"}), err.toString());
        assertTrue(out.toString().contains("kernels-layer0.png"), out.toString());
        assertEquals(2, cli.execute(new String[]{"filters", "--run-id", "tiny", "--kernel", "sharpen"}));
        assertTrue(err.toString().contains("sobel, edge, blur"), err.toString());
        assertFalse(Files.exists(tmp.resolve("wh/untrained/checkpoints")), "the classic mode trained nothing");
    }
}
