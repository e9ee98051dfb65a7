package org.sparkcnn.pipeline.ingest;

import org.apache.spark.util.LongAccumulator;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;
import org.sparkcnn.pipeline.corpus.CorpusEntry;
import org.sparkcnn.pipeline.corpus.QuarantineReason;
import org.sparkcnn.pipeline.corpus.QuarantineRecord;
import org.sparkcnn.pipeline.corpus.Split;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardWriter;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs on an executor: reads each input of a {@link ShardTask} through {@link Storage} (one file's bytes
 * in memory at a time), decodes it, and writes the shard to the staging root. Deterministic and
 * idempotent, so a retried task rewrites the same file.
 */
public final class ShardBuilder implements Serializable {
    private final Storage storage;
    private final ImageDecoder decoder;
    private final ImageConfig image;
    private final int numClasses;
    private final String stagingRoot;
    private final LongAccumulator imagesDone;
    private final AugmentedCopies copies;

    public ShardBuilder(Storage storage, ImageDecoder decoder, ImageConfig image, int numClasses, String stagingRoot,
                        LongAccumulator imagesDone, AugmentedCopies copies) {
        this.copies = copies;
        this.storage = storage;
        this.decoder = decoder;
        this.image = image;
        this.numClasses = numClasses;
        this.stagingRoot = stagingRoot;
        this.imagesDone = imagesDone;
    }

    /** Builds the task's shard from its files, read through {@link Storage}. */
    public ShardOutcome build(ShardTask task) {
        return build(task, this::decode);
    }

    /**
     * Builds the task's shard from {@code images}, which decodes each entry of the task (the files of a corpus, or
     * the rows of a DataFrame, see {@link IngestSource}), in the task's order.
     */
    public ShardOutcome build(ShardTask task, java.util.function.Function<CorpusEntry, DecodedImage> images) {
        List<byte[]> pixels = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<QuarantineRecord> rejected = new ArrayList<>();
        long[] perLabel = new long[numClasses];
        long copyCount = 0;
        for (CorpusEntry entry : task.entries()) {
            DecodedImage decoded = images.apply(entry);
            if (decoded.isOk()) {
                pixels.add(decoded.pixels());
                labels.add(entry.label());
                perLabel[entry.label()]++;
                if (task.split() == Split.TRAIN) {
                    for (byte[] copy : copies.of(decoded.pixels(), entry.relativePath())) {
                        pixels.add(copy);
                        labels.add(entry.label());
                        copyCount++;
                    }
                }
            } else {
                rejected.add(new QuarantineRecord(entry.uri(), QuarantineReason.valueOf(decoded.rejectReason()),
                        decoded.rejectMessage(), entry.sizeBytes()));
            }
            if (imagesDone != null) {
                imagesDone.add(1);
            }
        }
        if (pixels.isEmpty()) {
            return new ShardOutcome(null, perLabel, rejected, 0);
        }
        DataSet ds = ShardWriter.toDataSet(pixels, labels.stream().mapToInt(Integer::intValue).toArray(),
                image.channels(), image.height(), image.width(), numClasses);
        ShardWriter.Written written = ShardWriter.write(storage, Storage.join(stagingRoot, task.relativePath()), ds);
        return new ShardOutcome(new ShardInfo(task.split().label(), task.relativePath(), pixels.size(),
                written.bytes(), written.sha256()), perLabel, rejected, copyCount);
    }

    /**
     * The largest input file read: a JPEG or PNG of this size is far beyond any photograph (and its pixels beyond
     * {@code ingest.max-pixels}); a Java array could not hold much more than 2 GiB anyway.
     */
    static final long MAX_FILE_BYTES = 512L << 20;

    /** The entry's file, read through {@link Storage} and decoded. */
    private DecodedImage decode(CorpusEntry entry) {
        if (entry.sizeBytes() > MAX_FILE_BYTES) {
            return tooLarge(entry.sizeBytes());
        }
        byte[] bytes;
        try (InputStream in = storage.open(entry.uri())) {
            bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                return tooLarge(-1);
            }
        } catch (FileNotFoundException e) {
            return DecodedImage.rejected(QuarantineReason.MISSING.name(), "file vanished after listing: " + e.getMessage());
        } catch (IOException e) {
            return DecodedImage.rejected(QuarantineReason.UNREADABLE.name(), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return decoder.decode(bytes);
    }

    /** The decoder this builder uses (for sources that hold the bytes themselves). */
    public ImageDecoder decoder() {
        return decoder;
    }

    private static DecodedImage tooLarge(long size) {
        return DecodedImage.rejected(QuarantineReason.TOO_LARGE.name(), (size >= 0 ? size + " bytes" : "grew after listing")
                + ", over the " + (MAX_FILE_BYTES >> 20) + " MiB limit for one image file (not read)");
    }
}
