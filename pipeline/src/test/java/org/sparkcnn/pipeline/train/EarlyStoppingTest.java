package org.sparkcnn.pipeline.train;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.config.PipelineConfig.EarlyStoppingConfig;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EarlyStoppingTest {

    @Test
    void lossesMustFallAndAccuracyMustRiseByMoreThanMinDelta() {
        EarlyStopping loss = new EarlyStopping(new EarlyStoppingConfig(true, "val_loss", 2, 0.1, true));
        assertTrue(loss.improves(1.0, Double.NaN));
        assertTrue(loss.improves(0.85, 1.0));
        assertFalse(loss.improves(0.95, 1.0), "within min-delta");
        assertFalse(loss.improves(Double.NaN, 1.0));
        EarlyStopping acc = new EarlyStopping(new EarlyStoppingConfig(true, "val_accuracy", 2, 0.0, true));
        assertTrue(acc.improves(0.6, 0.5));
        assertFalse(acc.improves(0.5, 0.5));
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementOnlyWhenEnabled() {
        EarlyStopping on = new EarlyStopping(new EarlyStoppingConfig(true, "val_loss", 3, 0, true));
        assertFalse(on.shouldStop(2));
        assertTrue(on.shouldStop(3));
        EarlyStopping off = new EarlyStopping(new EarlyStoppingConfig(false, "val_loss", 3, 0, true));
        assertFalse(off.shouldStop(100));
    }
}
