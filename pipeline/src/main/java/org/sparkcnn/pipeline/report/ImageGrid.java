package org.sparkcnn.pipeline.report;


import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** Example images as the report shows them: thumbnails fitting a {@code thumb}-pixel square, in a row 2 px apart. */
final class ImageGrid {
    static final int GAP = 2;

    private ImageGrid() {}

    /**
     * One image (channel-major raw pixels 0..255 of {@code c x h x w}) scaled so its longer side is {@code thumb}
     * pixels: nearest-neighbour when enlarging (pixels stay crisp), bilinear when shrinking.
     */
    static BufferedImage thumbnail(float[] chw, int c, int h, int w, int thumb) {
        int tw = w >= h ? thumb : Math.max(1, thumb * w / h);
        int th = h >= w ? thumb : Math.max(1, thumb * h / w);
        BufferedImage full = PixelPainter.image(chw, c, h, w, 1);
        BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, tw < w
                    ? RenderingHints.VALUE_INTERPOLATION_BILINEAR : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(full, 0, 0, tw, th, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The thumbnails side by side on white, {@value #GAP} px apart; null when there are none. */
    static BufferedImage strip(List<BufferedImage> thumbnails) {
        if (thumbnails.isEmpty()) {
            return null;
        }
        int width = thumbnails.stream().mapToInt(BufferedImage::getWidth).sum() + GAP * (thumbnails.size() - 1);
        int height = thumbnails.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage strip = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = strip.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int x = 0;
            for (BufferedImage t : thumbnails) {
                g.drawImage(t, x, 0, null);
                x += t.getWidth() + GAP;
            }
        } finally {
            g.dispose();
        }
        return strip;
    }
}
