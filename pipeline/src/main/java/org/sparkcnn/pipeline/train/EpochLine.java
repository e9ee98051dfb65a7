package org.sparkcnn.pipeline.train;

import java.util.Locale;

/**
 * The console's one line per epoch. When the network has a regularisation term (the zoo networks' L2: ResNet-50's
 * is about 129 of its 132 at the start), the losses it inflates are followed by their data part, so that runs of
 * different networks compare: {@code loss 131.7922 (data 2.7822 + reg 129.0100)  ...  val_loss 132.8115 (data
 * 3.8015)}. The term is the one at the epoch's end parameters; the validation loss is computed at those, so its data
 * part is exact, while the training loss averages the epoch's steps, so its data part is off by how far the term
 * moved during the epoch.
 */
final class EpochLine {
    private EpochLine() {}

    static String format(int epoch, int epochs, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                         double regularization, double lr, double seconds, double samplesPerSecond) {
        boolean reg = regularization > 0 && Double.isFinite(regularization);
        String train = reg ? String.format(Locale.ROOT, "%.4f (data %.4f + reg %.4f)", trainLoss,
                trainLoss - regularization, regularization) : String.format(Locale.ROOT, "%.4f", trainLoss);
        String val = reg && Double.isFinite(valLoss) ? String.format(Locale.ROOT, "%.4f (data %.4f)", valLoss,
                valLoss - regularization) : String.format(Locale.ROOT, "%.4f", valLoss);
        return String.format(Locale.ROOT, "epoch %d/%d  loss %s  acc %.4f  val_loss %s  val_acc %.4f  lr %.2e  %.1f s  "
                + "%.0f samples/s  ETA %.0f s", epoch, epochs, train, trainAccuracy, val, valAccuracy, lr, seconds,
                samplesPerSecond, (epochs - epoch) * seconds);
    }
}
