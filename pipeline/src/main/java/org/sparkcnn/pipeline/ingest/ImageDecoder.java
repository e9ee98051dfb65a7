package org.sparkcnn.pipeline.ingest;

import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.ResizeMode;
import org.sparkcnn.pipeline.corpus.QuarantineReason;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Decodes one image file's bytes (JPEG, PNG, BMP, GIF first frame) with the JDK's ImageIO, converts it to
 * the configured channels and resizes it to {@code height x width} ({@code stretch}, as Keras
 * {@code target_size}, or {@code center-crop}). Pure: same bytes and config, same pixels.
 * Never throws for bad input; it returns a rejection with a {@link QuarantineReason} name.
 */
public final class ImageDecoder implements Serializable {
    private final ImageConfig image;
    private final long minPixels;
    private final long maxPixels;

    public ImageDecoder(ImageConfig image, long minPixels, long maxPixels) {
        this.image = image;
        this.minPixels = minPixels;
        this.maxPixels = maxPixels;
    }

    public DecodedImage decode(byte[] bytes) {
        if (bytes.length == 0) {
            return DecodedImage.rejected(QuarantineReason.EMPTY_FILE.name(), "zero-byte file");
        }
        BufferedImage source;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return DecodedImage.rejected(QuarantineReason.NOT_AN_IMAGE.name(),
                        "no image decoder recognises the content (first bytes " + hex(bytes) + ")");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h < minPixels) {
                    return DecodedImage.rejected(QuarantineReason.TOO_FEW_PIXELS.name(),
                            w + "x" + h + " has fewer than ingest.min-pixels=" + minPixels + " pixels");
                }
                if (w * h > maxPixels) {
                    return DecodedImage.rejected(QuarantineReason.TOO_MANY_PIXELS.name(),
                            w + "x" + h + " exceeds ingest.max-pixels=" + maxPixels + " (decompression-bomb guard)");
                }
                AtomicReference<String> warning = new AtomicReference<>();
                reader.addIIOReadWarningListener((r, message) -> warning.compareAndSet(null, message));
                source = reader.read(0);
                if (warning.get() != null) {
                    return DecodedImage.rejected(QuarantineReason.CORRUPT.name(),
                            reader.getFormatName() + " decoder warned: " + warning.get());
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return DecodedImage.rejected(QuarantineReason.CORRUPT.name(),
                    "decoding failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (source == null) {
            return DecodedImage.rejected(QuarantineReason.CORRUPT.name(), "decoder returned no image");
        }
        return DecodedImage.ok(toPixels(resize(source)));
    }

    /** Resizes with bilinear filtering into an sRGB (or gray) image of the target size. */
    BufferedImage resize(BufferedImage source) {
        int sw = source.getWidth();
        int sh = source.getHeight();
        int sx = 0;
        int sy = 0;
        int cw = sw;
        int ch = sh;
        if (image.resizeMode() == ResizeMode.CENTER_CROP) {
            double targetAspect = image.width() / (double) image.height();
            if (sw / (double) sh > targetAspect) {
                cw = (int) Math.round(sh * targetAspect);
                sx = (sw - cw) / 2;
            } else {
                ch = (int) Math.round(sw / targetAspect);
                sy = (sh - ch) / 2;
            }
        }
        int type = image.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
        BufferedImage out = new BufferedImage(image.width(), image.height(), type);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, image.width(), image.height(), sx, sy, sx + cw, sy + ch, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Channel-major uint8 pixels, RGB order for 3 channels. */
    byte[] toPixels(BufferedImage img) {
        int h = image.height();
        int w = image.width();
        int plane = h * w;
        byte[] out = new byte[plane * image.channels()];
        byte[] raster = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        if (image.channels() == 1) {
            System.arraycopy(raster, 0, out, 0, plane);
            return out;
        }
        for (int i = 0; i < plane; i++) {
            out[i] = raster[3 * i + 2];             // R (TYPE_3BYTE_BGR stores B, G, R)
            out[plane + i] = raster[3 * i + 1];     // G
            out[2 * plane + i] = raster[3 * i];     // B
        }
        return out;
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
