package org.sparkcnn.pipeline.ingest;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;

/**
 * Format and pixel size read from an image's header only (no pixel decoding), so decompression bombs are
 * refused before any memory is spent on them.
 */
public record ImageHeader(String format, int width, int height) {

    public long pixels() {
        return (long) width * height;
    }

    public boolean isJpeg() {
        return format.equals("jpeg");
    }

    /**
     * The header, or empty when no ImageIO reader recognises the bytes. Throws IOException on a broken header. The
     * bytes are read through a memory-cached stream: {@code ImageIO.createImageInputStream} would cache them in a
     * temporary file (created, written, read back and deleted for every image: a tenth of an ingest's time).
     */
    public static Optional<ImageHeader> probe(byte[] bytes) throws IOException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return Optional.empty();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (format.equals("jpg")) {
                    format = "jpeg";
                }
                return Optional.of(new ImageHeader(format, reader.getWidth(0), reader.getHeight(0)));
            } finally {
                reader.dispose();
            }
        }
    }

    /** True when a JPEG's last marker (ignoring trailing padding) is end-of-image (FF D9). */
    static boolean jpegHasEndMarker(byte[] bytes) {
        int end = bytes.length - 1;
        while (end > 0 && bytes[end] == 0) {
            end--;
        }
        return end >= 1 && (bytes[end - 1] & 0xff) == 0xFF && (bytes[end] & 0xff) == 0xD9;
    }
}
