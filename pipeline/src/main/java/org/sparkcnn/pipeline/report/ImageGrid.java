package org.sparkcnn.pipeline.report;

import org.sparkcnn.pipeline.augment.PixelPainter;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** A row of example images as one picture: each image scaled to a {@code thumb}-pixel square cell, 2 px apart. */
final class ImageGrid {
    static final int GAP = 2;

    private ImageGrid() {}

    /** The strip of {@code images} (channel-major raw pixels of {@code c x h x w}); null when there are none. */
    static BufferedImage strip(List<float[]> images, int c, int h, int w, int thumb) {
        if (images.isEmpty()) {
            return null;
        }
        int cellW = w >= h ? thumb : Math.max(1, thumb * w / h);
        int cellH = h >= w ? thumb : Math.max(1, thumb * h / w);
        BufferedImage strip = new BufferedImage(images.size() * (cellW + GAP) - GAP, cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = strip.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, strip.getWidth(), strip.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, cellW < w
                    ? RenderingHints.VALUE_INTERPOLATION_BILINEAR : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            for (int i = 0; i < images.size(); i++) {
                BufferedImage one = PixelPainter.image(images.get(i), c, h, w, 1);
                g.drawImage(one, i * (cellW + GAP), 0, cellW, cellH, null);
            }
        } finally {
            g.dispose();
        }
        return strip;
    }
}
