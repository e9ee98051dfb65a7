package org.sparkcnn.pipeline.augment;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.IOException;
import java.io.Serializable;
import java.util.Optional;

/**
 * How a run's model expects its input beyond the manifest's shape: the augment settings it trained with
 * (rescale, standardisation, crop) and the training split's feature statistics when featurewise
 * standardisation is on. Written by {@code train} as {@code preprocessing.json}; {@code evaluate} and
 * {@code predict} read it, so nobody re-types preprocessing. Serialisable: predict's tasks carry it.
 */
public record Preprocessing(AugmentConfig augment, FeatureStats featureStats) implements Serializable {

    public DataSetAugmenter augmenter() {
        return new DataSetAugmenter(augment, featureStats);
    }

    /**
     * One image as the network takes it at evaluation and prediction time: raw 0..255 pixels (channels x height x
     * width, RGB) rescaled, standardised and centre-cropped as training did, shaped {@code [1, c, h', w']}.
     */
    public INDArray networkInput(float[] raw, int channels, int height, int width) {
        float[] pixels = Augmentation.standardize(raw, channels, height, width, augment, featureStats);
        return Nd4j.create(pixels, new long[]{1, channels, augment.outputHeight(height), augment.outputWidth(width)}, 'c');
    }

    /** {@link #networkInput(float[], int, int, int)} of decoded 0..255 pixels (channels x height x width, RGB). */
    public INDArray networkInput(byte[] pixels, int channels, int height, int width) {
        float[] raw = new float[pixels.length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = pixels[i] & 0xff;
        }
        return networkInput(raw, channels, height, width);
    }

    public static String uri(RunLayout run) {
        return Storage.join(run.root(), "preprocessing.json");
    }

    public void write(Storage storage, RunLayout run) {
        try {
            storage.writeAtomically(uri(run), ManifestStore.JSON.writeValueAsBytes(this));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Optional<Preprocessing> read(Storage storage, RunLayout run) {
        if (!storage.exists(uri(run))) {
            return Optional.empty();
        }
        try {
            return Optional.of(ManifestStore.JSON.readValue(storage.readAll(uri(run)), Preprocessing.class));
        } catch (IOException e) {
            throw new BadInputException(uri(run) + " is unreadable: " + e.getMessage(), e);
        }
    }
}
