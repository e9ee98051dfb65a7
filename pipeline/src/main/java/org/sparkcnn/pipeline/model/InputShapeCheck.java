package org.sparkcnn.pipeline.model;

import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.error.BadInputException;

import java.util.Locale;

/**
 * Checks before training that a pretrained network accepts this run's input (channels x height x width, after
 * any random crop): one inference pass on a blank image, so every layer's expectation is tested, with a message
 * that names both shapes instead of a DL4J stack trace mid-epoch.
 */
public final class InputShapeCheck {
    private InputShapeCheck() {}

    public static void require(Network network, int channels, int height, int width, String init) {
        try {
            network.output(Nd4j.zeros(1, channels, height, width));
        } catch (RuntimeException e) {
            throw new BadInputException(String.format(Locale.ROOT, "model.init = %s: the pretrained network does not "
                    + "accept this run's %dx%dx%d (channels x height x width) images: %s. Ingest with the image.height, "
                    + "image.width and image.channels the network was trained on, or pick a network for this shape",
                    init, channels, height, width, firstLine(e)), e);
        }
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
