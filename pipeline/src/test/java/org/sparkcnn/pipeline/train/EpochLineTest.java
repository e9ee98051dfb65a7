package org.sparkcnn.pipeline.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EpochLineTest {
    @Test
    void withoutARegularisationTermTheLineIsThePlainOne() {
        assertEquals("epoch 3/15  loss 0.5000  acc 0.8000  val_loss 0.6000  val_acc 0.7500  lr 1.00e-03  2.0 s  "
                + "500 samples/s  ETA 24 s", EpochLine.format(3, 15, 0.5, 0.8, 0.6, 0.75, 0, 1e-3, 2.0, 500));
    }

    @Test
    void aRegularisationTermIsShownApartFromTheDataLoss() {
        assertEquals("epoch 1/2  loss 131.7922 (data 2.7822 + reg 129.0100)  acc 0.0440  val_loss 132.8115 (data 3.8015)"
                        + "  val_acc 0.0476  lr 1.00e-03  17.1 s  21 samples/s  ETA 17 s",
                EpochLine.format(1, 2, 131.7922, 0.044, 132.8115, 0.0476, 129.01, 1e-3, 17.1, 21));
    }

    @Test
    void noValidationSplitKeepsItsNaN() {
        assertEquals("epoch 2/2  loss 3.0000 (data 1.0000 + reg 2.0000)  acc 0.5000  val_loss NaN  val_acc NaN  lr 1.00e-02  "
                + "1.0 s  10 samples/s  ETA 0 s", EpochLine.format(2, 2, 3.0, 0.5, Double.NaN, Double.NaN, 2.0, 1e-2, 1.0, 10));
    }
}
