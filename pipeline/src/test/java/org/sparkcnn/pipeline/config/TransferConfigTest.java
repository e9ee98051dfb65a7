package org.sparkcnn.pipeline.config;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.error.InvalidConfigException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code model.init}, {@code model.freeze-up-to} and {@code model.fine-tune.*}. */
class TransferConfigTest {

    @Test
    void defaultsAreRandomInitWithNothingFrozen() {
        PipelineConfig c = ConfigLoader.load(null, List.of());
        assertFalse(c.model().pretrained());
        assertEquals("", c.model().freezeUpTo());
        assertEquals(c.train().learningRate(), c.model().learningRate(c.train()));
    }

    @Test
    void fineTuneLearningRateIsTheBaseRateOnlyWhenSet() {
        PipelineConfig c = ConfigLoader.load(null, List.of("model.init=hdfs://nn/runs/a/checkpoints/best",
                "model.freeze-up-to=4", "model.fine-tune.learning-rate=0.0001"));
        assertTrue(c.model().pretrained());
        assertEquals("4", c.model().freezeUpTo());
        assertEquals(1e-4, c.model().learningRate(c.train()));
        PipelineConfig unset = ConfigLoader.load(null, List.of("model.init=file:/base.zip", "train.learning-rate=0.02"));
        assertEquals(0.02, unset.model().learningRate(unset.train()));
    }

    @Test
    void freezingOrAFineTuneRateWithoutInitIsRefusedNamingTheKey() {
        InvalidConfigException freeze = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("model.freeze-up-to=conv1")));
        assertEquals("model.freeze-up-to", freeze.key());
        assertTrue(freeze.getMessage().contains("model.init"), freeze.getMessage());
        InvalidConfigException lr = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("model.fine-tune.learning-rate=0.001")));
        assertEquals("model.fine-tune.learning-rate", lr.key());
        InvalidConfigException range = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("model.init=file:/b.zip", "model.fine-tune.learning-rate=-1")));
        assertEquals("model.fine-tune.learning-rate", range.key());
    }

    @Test
    void fineTuneSettingsAreInTheTrainingFingerprint() {
        PipelineConfig a = ConfigLoader.load(null, List.of("model.init=file:/a/checkpoints/best"));
        PipelineConfig b = ConfigLoader.load(null, List.of("model.init=file:/b/checkpoints/best"));
        PipelineConfig frozen = ConfigLoader.load(null, List.of("model.init=file:/a/checkpoints/best", "model.freeze-up-to=2"));
        assertFalse(ConfigFingerprint.training(a).equals(ConfigFingerprint.training(b)));
        assertFalse(ConfigFingerprint.training(a).equals(ConfigFingerprint.training(frozen)));
    }
}
