package org.sparkcnn.pipeline.report;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.metrics.EpochMetrics;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EpochsCsvTest {
    @Test
    void readsTheColumnsMetricsStoreWritesIncludingMissingValidation() {
        String csv = """
                run_id,epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,seconds,samples_per_second
                r1,1,1.250000,0.400000,NaN,NaN,0.00100000,3.500,228.57
                r1,2,0.750000,0.700000,NaN,NaN,0.00050000,2.000,400.00
                """;
        List<EpochMetrics> rows = EpochsCsv.parse(csv);
        assertEquals(2, rows.size());
        EpochMetrics second = rows.get(1);
        assertEquals(2, second.epoch());
        assertEquals(0.75, second.trainLoss(), 1e-12);
        assertEquals(0.0005, second.learningRate(), 1e-12);
        assertEquals(400.0, second.samplesPerSecond(), 1e-12);
        assertTrue(Double.isNaN(second.valAccuracy()));
    }

    @Test
    void aMissingColumnIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EpochsCsv.parse("run_id,epoch,train_loss\nr,1,0.5\n"));
        assertTrue(e.getMessage().contains("train_accuracy"), e.getMessage());
    }
}
