package org.sparkcnn.pipeline.ingest;

import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.ResizeMode;

/**
 * The source rectangle {x, y, width, height} that is resized to the target: the whole image for
 * {@code stretch}, the centred window with the target's aspect ratio for {@code center-crop}.
 */
final class CropWindow {
    private CropWindow() {}

    static int[] of(int sourceWidth, int sourceHeight, ImageConfig image) {
        if (image.resizeMode() != ResizeMode.CENTER_CROP) {
            return new int[]{0, 0, sourceWidth, sourceHeight};
        }
        double targetAspect = image.width() / (double) image.height();
        if (sourceWidth / (double) sourceHeight > targetAspect) {
            int w = Math.max(1, (int) Math.round(sourceHeight * targetAspect));
            return new int[]{(sourceWidth - w) / 2, 0, w, sourceHeight};
        }
        int h = Math.max(1, (int) Math.round(sourceWidth / targetAspect));
        return new int[]{0, (sourceHeight - h) / 2, sourceWidth, h};
    }
}
