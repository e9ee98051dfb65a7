package org.sparkcnn.pipeline.config;

import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.IngestConfig;
import org.sparkcnn.pipeline.error.InvalidConfigException;

import java.util.Locale;

/**
 * How big shards and minibatches can be, derived from the code that writes, reads and converts them. Each of these
 * is one buffer addressed with {@code int}s, so at most {@link #MAX_BUFFER_BYTES} = 2^31 - 1 bytes:
 * <ul>
 *   <li><b>A shard's pixels</b>, uint8 {@code [examples, channels, height, width]}: {@code ShardWriter.toDataSet}
 *       allocates them with {@code ByteBuffer.allocateDirect(examples * pixelsPerExample)} (an int product: above
 *       2^31 - 1 it wraps and the ingest task dies with an IllegalArgumentException or BufferOverflowException),
 *       {@code ShardReader.rows} positions each example at the int {@code row * rowBytes}, and
 *       {@code DataSetCodec.read} reads a uint8 buffer in bulk only up to 2^31 - 1 elements. Train shards hold
 *       {@code examples per shard x (1 + ingest.augment.copies)} examples (the materialised copies sit beside their
 *       originals).</li>
 *   <li><b>The same pixels as floats</b> (4 bytes each): {@code DataSetAugmenter} turns a validation or test shard
 *       (or the part of one an evaluation task reads, which is the whole shard once there are as many shards as
 *       tasks) and every training minibatch into floats through ND4J's {@code DataBuffer.asNio()}, which is
 *       JavaCPP's {@code Pointer.asByteBuffer()}: a direct buffer whose capacity JavaCPP clamps at 2^31 - 1 bytes,
 *       so a bigger array is silently cut short and the copy fails with a BufferUnderflowException. Hence
 *       {@code examples per shard x pixels x 4} and {@code train.batch-size-per-worker x pixels x 4} must also fit.</li>
 * </ul>
 * These checks run when the configuration is loaded, so a run that would crash mid-way (exit 1) is refused before
 * Spark starts (exit 2), naming the key, its value and the limit.
 */
public final class ShardLimits {
    /** The most bytes one int-addressed buffer holds: the largest int. */
    public static final long MAX_BUFFER_BYTES = Integer.MAX_VALUE;
    /** The largest {@code ingest.shard-target-mb}: whole MiB of pixels whose floats fit one buffer (511). */
    public static final int MAX_SHARD_TARGET_MB = (int) ((MAX_BUFFER_BYTES / Float.BYTES) >> 20);
    static final String UINT8_WHY = "a train shard's pixels are one array of int offsets (ShardWriter's "
            + "ByteBuffer.allocateDirect(int), ShardReader's row offsets), at most " + MAX_BUFFER_BYTES + " bytes";
    static final String FLOAT_WHY = "a shard is evaluated, and a minibatch trained, as one float buffer "
            + "(4 bytes a pixel) that JavaCPP caps at " + MAX_BUFFER_BYTES + " bytes";

    private ShardLimits() {}

    /** Examples in the largest train shard for this configuration: examples per shard x (1 + copies). */
    public static long largestShardExamples(IngestConfig ingest, ImageConfig image) {
        return examplesPerShard(ingest, image) * (1L + ingest.augmentCopies());
    }

    /** The largest {@code ingest.examples-per-shard}, and {@code train.batch-size-per-worker}, for this image size. */
    public static long maxExamplesAsFloats(ImageConfig image) {
        return MAX_BUFFER_BYTES / (Float.BYTES * image.pixelsPerExample());
    }

    /** Refuses {@code ingest.*} settings whose shards would not fit, naming the key, value and limit. */
    static void check(IngestConfig ingest, ImageConfig image) {
        long perExample = image.pixelsPerExample();
        long perShard = examplesPerShard(ingest, image);
        long maxExamples = maxExamplesAsFloats(image);
        if (ingest.examplesPerShard() > maxExamples) {
            throw new InvalidConfigException("ingest.examples-per-shard", String.format(Locale.ROOT,
                    "value %d is above the limit %d for %dx%dx%d images (%d pixels each): %s; set at most %d, or 0 "
                            + "to size shards by ingest.shard-target-mb", ingest.examplesPerShard(), maxExamples,
                    image.height(), image.width(), image.channels(), perExample, FLOAT_WHY, maxExamples));
        }
        long shardBytes = perShard * perExample;
        long maxCopies = MAX_BUFFER_BYTES / shardBytes - 1;
        if (ingest.augmentCopies() > maxCopies) {
            throw new InvalidConfigException("ingest.augment.copies", String.format(Locale.ROOT,
                    "value %d is above the limit %d: a train shard holds %d examples x (1 + copies) of %dx%dx%d "
                            + "pixels (%d bytes per copy of the shard), and %s; set ingest.augment.copies to at most "
                            + "%d, or lower ingest.examples-per-shard (or ingest.shard-target-mb) so more copies fit",
                    ingest.augmentCopies(), maxCopies, perShard, image.height(), image.width(), image.channels(),
                    shardBytes, UINT8_WHY, maxCopies));
        }
    }

    /** Refuses a {@code train.batch-size-per-worker} whose float minibatch would not fit one buffer. */
    static void checkBatch(int batchSizePerWorker, ImageConfig image) {
        long maxExamples = maxExamplesAsFloats(image);
        if (batchSizePerWorker > maxExamples) {
            throw new InvalidConfigException("train.batch-size-per-worker", String.format(Locale.ROOT,
                    "value %d is above the limit %d for %dx%dx%d images: %s; set at most %d", batchSizePerWorker,
                    maxExamples, image.height(), image.width(), image.channels(), FLOAT_WHY, maxExamples));
        }
    }

    /**
     * Examples per shard: {@code ingest.examples-per-shard}, or when 0 as many as fit in {@code ingest.shard-target-mb}
     * of uint8 pixels (at least 1, at most a million).
     */
    public static int examplesPerShard(IngestConfig ingest, ImageConfig image) {
        if (ingest.examplesPerShard() > 0) {
            return ingest.examplesPerShard();
        }
        return (int) Math.max(1, Math.min(1_000_000, (ingest.shardTargetMb() * 1024L * 1024L) / image.pixelsPerExample()));
    }
}
