package org.sparkcnn.pipeline.ingest;

import org.sparkcnn.pipeline.augment.AugmentConfig;
import org.sparkcnn.pipeline.augment.AugmentParams;
import org.sparkcnn.pipeline.augment.Augmentation;
import org.sparkcnn.pipeline.augment.ExampleIds;
import org.sparkcnn.pipeline.augment.ParamSampler;
import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ingest.augment.copies = K}: K augmented copies of a training image, materialised into the train
 * shards as uint8 (random transforms only; rescale and standardisation still happen in the training input
 * path). Copy k of an image is drawn for (seed, epoch 0, id of "copy/k/relative path"), so it is the same
 * on every re-run and never collides with the per-epoch draws, which use epochs from 1.
 */
public final class AugmentedCopies implements Serializable {
    private final AugmentConfig transforms;
    private final int copies;
    private final long seed;
    private final ImageConfig image;

    public AugmentedCopies(AugmentConfig augment, int copies, long seed, ImageConfig image) {
        this.transforms = augment.toBuilder().rescale(0).featurewiseCenter(false).featurewiseStdNormalization(false)
                .samplewiseCenter(false).samplewiseStdNormalization(false).build();
        if (augment.hasRandomCrop() && copies > 0) {
            throw new IllegalArgumentException("augment.random-crop cannot be materialised by ingest.augment.copies");
        }
        this.copies = copies;
        this.seed = seed;
        this.image = image;
    }

    public static AugmentedCopies none(ImageConfig image) {
        return new AugmentedCopies(AugmentConfig.defaults(), 0, 0, image);
    }

    /** The copies of one decoded image (channel-major uint8), in order k = 1..K. */
    public List<byte[]> of(byte[] pixels, String relativePath) {
        if (copies == 0) {
            return List.of();
        }
        int c = image.channels();
        int h = image.height();
        int w = image.width();
        float[] raw = new float[pixels.length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = pixels[i] & 0xff;
        }
        List<byte[]> out = new ArrayList<>(copies);
        for (int k = 1; k <= copies; k++) {
            AugmentParams p = ParamSampler.draw(transforms, h, w, seed, 0, ExampleIds.of("copy/" + k + "/" + relativePath, 0));
            float[] augmented = Augmentation.apply(raw, c, h, w, p, transforms);
            byte[] bytes = new byte[augmented.length];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) Math.max(0, Math.min(255, Math.round(augmented[i])));
            }
            out.add(bytes);
        }
        return out;
    }
}
