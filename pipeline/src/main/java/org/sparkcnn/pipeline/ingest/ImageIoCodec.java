package org.sparkcnn.pipeline.ingest;

import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;


import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pure-JDK decoding (ImageIO) with a bilinear Java2D resize. Used for GIF (first frame), which the bundled
 * OpenCV cannot read, and as the reference path the decoder benchmark compares against.
 */
final class ImageIoCodec {
    private ImageIoCodec() {}

    /** Decodes the first frame; a decoder warning (e.g. premature end of data) counts as corrupt. */
    static BufferedImage read(byte[] bytes) throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException("no ImageIO reader");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                AtomicReference<String> warning = new AtomicReference<>();
                reader.addIIOReadWarningListener((r, message) -> warning.compareAndSet(null, message));
                BufferedImage img = reader.read(0);
                if (warning.get() != null) {
                    throw new IOException(reader.getFormatName() + " decoder warned: " + warning.get());
                }
                if (img == null) {
                    throw new IOException("decoder returned no image");
                }
                return img;
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * Pixels already decoded in OpenCV's layout (Spark's {@code image} data source: rows of B, G, R[, A] or gray
     * bytes) as an image the resize can take.
     */
    static BufferedImage fromBgr(int height, int width, int channels, byte[] data) {
        int type = switch (channels) {
            case 1 -> BufferedImage.TYPE_BYTE_GRAY;
            case 3 -> BufferedImage.TYPE_3BYTE_BGR;
            case 4 -> BufferedImage.TYPE_4BYTE_ABGR;
            default -> throw new IllegalArgumentException(channels + " channels");
        };
        BufferedImage img = new BufferedImage(width, height, type);
        byte[] raster = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        if (channels == 4) {
            for (int i = 0; i < width * height; i++) {          // B, G, R, A -> A, B, G, R
                raster[4 * i] = data[4 * i + 3];
                raster[4 * i + 1] = data[4 * i];
                raster[4 * i + 2] = data[4 * i + 1];
                raster[4 * i + 3] = data[4 * i + 2];
            }
        } else {
            System.arraycopy(data, 0, raster, 0, raster.length);
        }
        return img;
    }

    static byte[] decode(byte[] bytes, ImageConfig image) throws IOException {
        return toPixels(resize(read(bytes), image), image);
    }

    /** Resizes with bilinear filtering into an sRGB (or gray) image of the target size. */
    static BufferedImage resize(BufferedImage source, ImageConfig image) {
        int[] crop = CropWindow.of(source.getWidth(), source.getHeight(), image);
        int type = image.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR;
        BufferedImage out = new BufferedImage(image.width(), image.height(), type);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, image.width(), image.height(), crop[0], crop[1], crop[0] + crop[2],
                    crop[1] + crop[3], null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Channel-major uint8 pixels, RGB order for 3 channels. */
    static byte[] toPixels(BufferedImage img, ImageConfig image) {
        int plane = image.height() * image.width();
        byte[] out = new byte[plane * image.channels()];
        byte[] raster = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
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

}
