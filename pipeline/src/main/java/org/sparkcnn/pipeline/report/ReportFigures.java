package org.sparkcnn.pipeline.report;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;

/**
 * The pictures of one report, drawn before the HTML is written. A null image means its input does not exist
 * (yet); the matching {@code ...Note} then says why, or what the picture shows.
 *
 * @param classSamples  class index to a strip of example images of that class
 * @param augmentNote   the augmentation settings the preview shows, or why there is no preview
 * @param samplesNote   where the class samples come from, or why there are none
 * @param pairsNote     how the misclassified examples were found (how many test examples were scanned)
 */
record ReportFigures(BufferedImage loss, BufferedImage accuracy, BufferedImage throughput, BufferedImage confusion,
                     BufferedImage augmentPreview, String augmentNote, Map<Integer, BufferedImage> classSamples,
                     String samplesNote, List<PairFigure> pairs, String pairsNote) {

    /**
     * A most-confused pair with examples: test images of {@code actual} predicted as {@code predicted} (null when
     * none were found within the scan), and sample images of both classes.
     */
    record PairFigure(ConfusedPairs.Pair pair, BufferedImage misclassified, BufferedImage actualSamples,
                      BufferedImage predictedSamples) {}
}
