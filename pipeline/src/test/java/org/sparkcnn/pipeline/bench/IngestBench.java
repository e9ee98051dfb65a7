package org.sparkcnn.pipeline.bench;

import org.apache.spark.sql.SparkSession;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.Decoder;
import org.sparkcnn.pipeline.ingest.DecodedImage;
import org.sparkcnn.pipeline.ingest.ImageDecoder;
import org.sparkcnn.pipeline.ingest.IngestJob;
import org.sparkcnn.pipeline.ingest.IngestResult;
import org.sparkcnn.pipeline.spark.SparkSessionFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Ingest benchmark (not a test). Prints JSON lines:
 * <ul>
 *   <li>{@code decoder}: read + decode + resize of every train image of a Food-101-layout corpus on ONE thread,
 *       per backend (opencv, imageio): the per-core rate, comparable to the single-process PIL rate of
 *       {@code bench/reference_decode.py};</li>
 *   <li>{@code ingest}: the whole {@link IngestJob} on {@code local[N]} (listing, decode, shard write, manifest),
 *       reported as images/s and images/s per executor core.</li>
 * </ul>
 * Usage: IngestBench CORPUS SIZE CORES [REPEATS]
 */
public final class IngestBench {
    public static void main(String[] args) throws Exception {
        Path corpus = Path.of(args[0]);
        int size = Integer.parseInt(args[1]);
        int cores = Integer.parseInt(args[2]);
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        List<Path> train = trainFiles(corpus);

        PipelineConfig base = ConfigLoader.load(null, List.of("image.height=" + size, "image.width=" + size));
        for (Decoder backend : Decoder.values()) {
            ImageDecoder decoder = new ImageDecoder(base.image(), 1, 100_000_000L, backend);
            decodeAll(decoder, train.subList(0, Math.min(100, train.size())));   // warm-up (JIT, natives)
            double[] rates = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                long t0 = System.nanoTime();
                int ok = decodeAll(decoder, train);
                rates[r] = ok / ((System.nanoTime() - t0) / 1e9);
            }
            System.out.printf(Locale.ROOT, "{\"who\": \"ours (%s, 1 thread)\", \"images\": %d, \"images_per_s\": %.1f, \"runs\": %s}%n",
                    backend.name().toLowerCase(Locale.ROOT), train.size(), median(rates), Arrays.toString(rates));
        }

        Path warehouse = Files.createTempDirectory("ingest-bench");
        PipelineConfig cfg = ConfigLoader.load(null, List.of("spark.master=local[" + cores + "]",
                "output.uri=" + warehouse.toUri(), "corpus.uri=" + corpus.toUri(), "image.height=" + size,
                "image.width=" + size, "run.id=bench"));
        SparkSession spark = SparkSessionFactory.create(cfg, "IngestBench");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        try {
            double[] rates = new double[repeats + 1];
            for (int r = 0; r <= repeats; r++) {     // run 0 warms the executors up
                PipelineConfig run = ConfigLoader.load(null, List.of("spark.master=local[" + cores + "]",
                        "output.uri=" + warehouse.toUri(), "corpus.uri=" + corpus.toUri(), "image.height=" + size,
                        "image.width=" + size, "run.id=bench-" + r));
                IngestResult result = new IngestJob(quiet).run(spark, run);
                rates[r] = result.manifest().listed() / result.seconds();
            }
            double[] timed = Arrays.copyOfRange(rates, 1, rates.length);
            System.out.printf(Locale.ROOT, "{\"who\": \"ours (IngestJob, local[%d])\", \"images\": %d, \"images_per_s\": %.1f, "
                    + "\"images_per_s_per_core\": %.1f, \"runs\": %s}%n", cores, train.size() * 4 / 3, median(timed),
                    median(timed) / cores, Arrays.toString(timed));
        } finally {
            spark.stop();
        }
    }

    static List<Path> trainFiles(Path corpus) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String id : Files.readAllLines(corpus.resolve("meta/train.txt"))) {
            if (!id.isBlank()) {
                files.add(corpus.resolve("images").resolve(id.trim() + ".jpg"));
            }
        }
        return files;
    }

    static int decodeAll(ImageDecoder decoder, List<Path> files) throws IOException {
        int ok = 0;
        for (Path f : files) {
            DecodedImage d = decoder.decode(Files.readAllBytes(f));
            if (d.isOk()) {
                ok++;
            }
        }
        return ok;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
