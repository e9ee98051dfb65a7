package org.sparkcnn.pipeline.config;

import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.IngestConfig;
import org.sparkcnn.pipeline.error.InvalidConfigException;
import org.sparkcnn.pipeline.ingest.ShardPlan;

import java.util.Locale;

/**
 * How big a shard can be, derived from the code that writes and reads shards. A shard's features are one uint8
 * array {@code [examples, channels, height, width]} handled with {@code int} arithmetic:
 * {@code ShardWriter.toDataSet} allocates it with {@code ByteBuffer.allocateDirect(examples * pixelsPerExample)}
 * (an int product: above {@link Integer#MAX_VALUE} it wraps, and the ingest task dies with an
 * IllegalArgumentException or BufferOverflowException), {@code ShardReader.rows} positions each example at
 * {@code row * rowBytes} in an int {@code ByteBuffer}, and {@code DataSetCodec.read} reads a uint8 buffer in bulk only
 * up to {@link Integer#MAX_VALUE} elements. So the largest shard's pixels, {@code examples per shard x (1 + copies)
 * x height x width x channels} (materialised augmented copies go into the train shards beside their originals),
 * must be at most {@link #MAX_SHARD_BYTES} bytes. These checks run when the configuration is loaded, so a run that
 * would crash in the ingest stage (exit 1) is refused before Spark starts (exit 2).
 */
public final class ShardLimits {
    /** The most pixel bytes one shard holds: the largest int. */
    public static final long MAX_SHARD_BYTES = Integer.MAX_VALUE;
    /** The largest {@code ingest.shard-target-mb}: whole MiB in {@link #MAX_SHARD_BYTES} (2047). */
    public static final int MAX_SHARD_TARGET_MB = (int) (MAX_SHARD_BYTES >> 20);
    static final String WHY = "a shard's pixels are one array addressed by int offsets, at most "
            + MAX_SHARD_BYTES + " bytes (2 GiB - 1)";

    private ShardLimits() {}

    /** Examples in the largest train shard for this configuration: examples per shard x (1 + copies). */
    public static long largestShardExamples(IngestConfig ingest, ImageConfig image) {
        return examplesPerShard(ingest, image) * (1L + ingest.augmentCopies());
    }

    /** Refuses {@code ingest.*} settings whose shards would not fit the shard format, naming the key, value and limit. */
    static void check(IngestConfig ingest, ImageConfig image) {
        long perExample = image.pixelsPerExample();
        long perShard = examplesPerShard(ingest, image);
        if (ingest.examplesPerShard() > 0 && perShard * perExample > MAX_SHARD_BYTES) {
            throw new InvalidConfigException("ingest.examples-per-shard", String.format(Locale.ROOT,
                    "value %d is above the limit %d for %dx%dx%d images (%d bytes each): %s; set at most %d, or 0 to "
                            + "size shards by ingest.shard-target-mb", ingest.examplesPerShard(),
                    MAX_SHARD_BYTES / perExample, image.height(), image.width(), image.channels(), perExample, WHY,
                    MAX_SHARD_BYTES / perExample));
        }
        long shardBytes = perShard * perExample;
        long maxCopies = MAX_SHARD_BYTES / shardBytes - 1;
        if (ingest.augmentCopies() > maxCopies) {
            throw new InvalidConfigException("ingest.augment.copies", String.format(Locale.ROOT,
                    "value %d is above the limit %d: a train shard holds %d examples x (1 + copies) of %dx%dx%d "
                            + "pixels (%d bytes per copy of the shard), and %s; set ingest.augment.copies to at most "
                            + "%d, or lower ingest.examples-per-shard (or ingest.shard-target-mb) so more copies fit",
                    ingest.augmentCopies(), maxCopies, perShard, image.height(), image.width(), image.channels(),
                    shardBytes, WHY, maxCopies));
        }
    }

    private static long examplesPerShard(IngestConfig ingest, ImageConfig image) {
        return ShardPlan.examplesPerShard(ingest.examplesPerShard(), ingest.shardTargetMb(), image.pixelsPerExample());
    }
}
