package org.sparkcnn.pipeline.report;

import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.sparkcnn.pipeline.augment.AugmentConfig;
import org.sparkcnn.pipeline.augment.AugmentParams;
import org.sparkcnn.pipeline.augment.Augmentation;
import org.sparkcnn.pipeline.augment.ExampleIds;
import org.sparkcnn.pipeline.augment.ParamSampler;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.ShardSource;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * {@code augment-preview}: the tutorials' {@code show_images}. A PNG grid with one training image per row:
 * the original, then its augmented versions in epochs 1 to {@value #EPOCHS}, exactly as training draws them
 * (same seed, example ids and settings), before rescaling. Written to {@code <run>/augment-preview.png}.
 */
public final class AugmentPreview {
    static final int EPOCHS = 4;
    private final PrintStream out;

    public AugmentPreview(PrintStream out) {
        this.out = out;
    }

    /** Writes the grid for the first {@code n} training examples; returns its URI. */
    public String run(SparkSession spark, PipelineConfig config, int n) {
        RunLayout run = RunLayout.of(config.output().uri(), config.run().id());
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        ShardManifest manifest = new ManifestStore(storage).require(run);
        List<ShardInfo> shards = manifest.shardsOf("train");
        if (shards.isEmpty()) {
            throw new BadInputException("run " + run.root() + " has no training shards to preview");
        }
        String shardPath = shards.get(0).path();
        DataSet raw = ShardSource.of(storage, run, manifest).read(shardPath);
        int rows = Math.min(n, raw.numExamples());
        BufferedImage grid = grid(raw, shardPath, manifest, config.augment(), config.seed(), n,
                (e, p) -> out.printf("augment-preview: example %d, epoch %d: %s%n", ExampleIds.of(shardPath, 0), e, p.describe()));
        String uri = Storage.join(run.root(), "augment-preview.png");
        storage.writeAtomically(uri, o -> {
            if (!ImageIO.write(grid, "png", o)) {
                throw new IOException("no PNG writer");
            }
        });
        out.printf("augment-preview: %d rows (original, then epochs 1-%d) written to %s%n", rows, EPOCHS, uri);
        return uri;
    }

    /**
     * The preview grid of the first {@code n} examples of one raw (uint8) shard: per row the original, then its
     * augmented versions in epochs 1 to {@value #EPOCHS} as training draws them with {@code augment} and
     * {@code seed}, before rescaling and standardisation. {@code firstRow} hears the parameters drawn for the
     * first example in each epoch (for logging); may be null.
     */
    public static BufferedImage grid(DataSet raw, String shardPath, ShardManifest manifest, AugmentConfig augment,
                                     long seed, int n, BiConsumer<Integer, AugmentParams> firstRow) {
        int rows = Math.min(n, raw.numExamples());
        int c = manifest.channels();
        int h = manifest.height();
        int w = manifest.width();
        // Geometry, flips, brightness and channel shift as configured; no rescale or standardisation, so pixels stay 0..255.
        AugmentConfig visible = augment.toBuilder().rescale(0).featurewiseCenter(false)
                .featurewiseStdNormalization(false).samplewiseCenter(false).samplewiseStdNormalization(false).build();
        int oh = visible.outputHeight(h);
        int ow = visible.outputWidth(w);
        int scale = Math.max(1, 96 / Math.max(h, w));
        int gap = 2;
        BufferedImage grid = new BufferedImage((1 + EPOCHS) * (Math.max(w, ow) * scale + gap), rows * (Math.max(h, oh) * scale + gap),
                BufferedImage.TYPE_INT_RGB);
        // Only the rows shown are converted to float (a whole shard would be 4x its size).
        float[] all = raw.getFeatures().get(NDArrayIndex.interval(0, rows), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all()).castTo(DataType.FLOAT).dup('c').data().asFloat();
        long[] ids = ExampleIds.forShard(shardPath, raw.numExamples());
        int size = c * h * w;
        for (int r = 0; r < rows; r++) {
            float[] original = new float[size];
            System.arraycopy(all, r * size, original, 0, size);
            int y = r * (Math.max(h, oh) * scale + gap);
            PixelPainter.paint(grid, original, c, h, w, 0, y, scale);
            for (int e = 1; e <= EPOCHS; e++) {
                AugmentParams p = ParamSampler.draw(visible, h, w, seed, e, ids[r]);
                if (r == 0 && firstRow != null) {
                    firstRow.accept(e, p);
                }
                float[] augmented = Augmentation.apply(original, c, h, w, p, visible);
                PixelPainter.paint(grid, augmented, c, oh, ow, e * (Math.max(w, ow) * scale + gap), y, scale);
            }
        }
        return grid;
    }
}
