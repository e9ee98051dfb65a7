package org.sparkcnn.pipeline.ingest;

import org.sparkcnn.pipeline.config.PipelineConfig.Decoder;
import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;
import org.sparkcnn.pipeline.corpus.QuarantineReason;

import java.io.IOException;
import java.io.Serializable;
import java.util.Optional;

/**
 * Decodes one file's bytes (JPEG, PNG, BMP, GIF first frame) to the configured channels and size. The
 * header is read first (format, pixel count: the decompression-bomb guard), then the pixels with the
 * configured backend: OpenCV (default: DCT-domain reduced JPEG decoding, EXIF orientation, CMYK and 16-bit
 * conversion) or ImageIO. GIF always goes through ImageIO. Pure: same bytes and config, same pixels.
 * Never throws for bad input; it returns a rejection with a {@link QuarantineReason} name.
 */
public final class ImageDecoder implements Serializable {
    private final ImageConfig image;
    private final long minPixels;
    private final long maxPixels;
    private final Decoder backend;

    public ImageDecoder(ImageConfig image, long minPixels, long maxPixels, Decoder backend) {
        this.image = image;
        this.minPixels = minPixels;
        this.maxPixels = maxPixels;
        this.backend = backend;
    }

    public DecodedImage decode(byte[] bytes) {
        if (bytes.length == 0) {
            return DecodedImage.rejected(QuarantineReason.EMPTY_FILE.name(), "zero-byte file");
        }
        ImageHeader header;
        try {
            Optional<ImageHeader> probed = ImageHeader.probe(bytes);
            if (probed.isEmpty()) {
                return DecodedImage.rejected(QuarantineReason.NOT_AN_IMAGE.name(),
                        "no image decoder recognises the content (first bytes " + hex(bytes) + ")");
            }
            header = probed.get();
        } catch (IOException | RuntimeException e) {
            return DecodedImage.rejected(QuarantineReason.CORRUPT.name(), "unreadable header: " + e.getMessage());
        }
        if (header.pixels() < minPixels) {
            return DecodedImage.rejected(QuarantineReason.TOO_FEW_PIXELS.name(), header.width() + "x" + header.height()
                    + " has fewer than ingest.min-pixels=" + minPixels + " pixels");
        }
        if (header.pixels() > maxPixels) {
            return DecodedImage.rejected(QuarantineReason.TOO_MANY_PIXELS.name(), header.width() + "x" + header.height()
                    + " exceeds ingest.max-pixels=" + maxPixels + " (decompression-bomb guard)");
        }
        if (header.isJpeg() && !ImageHeader.jpegHasEndMarker(bytes)) {
            return DecodedImage.rejected(QuarantineReason.CORRUPT.name(), "truncated JPEG (no end-of-image marker)");
        }
        try {
            boolean openCv = backend == Decoder.OPENCV && !header.format().equals("gif");
            return DecodedImage.ok(openCv ? OpenCvCodec.decode(bytes, header, image) : ImageIoCodec.decode(bytes, image));
        } catch (IOException | RuntimeException e) {
            return DecodedImage.rejected(QuarantineReason.CORRUPT.name(),
                    "decoding the " + header.format() + " failed: " + e.getMessage());
        }
    }

    /**
     * An image another reader decoded already, in OpenCV's layout (Spark's {@code image} data source: height, width,
     * 1, 3 or 4 channels of B, G, R[, A] bytes per pixel, row by row), resized as {@link #decode} would. Spark marks
     * a file it could not read with a height, width or channel count of -1: that is {@code NOT_AN_IMAGE}.
     */
    public DecodedImage decodeRaw(int height, int width, int channels, byte[] data) {
        if (height <= 0 || width <= 0 || channels <= 0 || data == null || data.length == 0) {
            return DecodedImage.rejected(QuarantineReason.NOT_AN_IMAGE.name(),
                    "the image reader could not decode it (height " + height + ", width " + width + ", "
                            + channels + " channels)");
        }
        if (channels != 1 && channels != 3 && channels != 4) {
            return DecodedImage.rejected(QuarantineReason.CORRUPT.name(), channels + " channels (1, 3 or 4 expected)");
        }
        if ((long) height * width * channels != data.length) {
            return DecodedImage.rejected(QuarantineReason.CORRUPT.name(), data.length + " bytes of pixels for "
                    + width + "x" + height + "x" + channels);
        }
        long pixels = (long) height * width;
        if (pixels < minPixels) {
            return DecodedImage.rejected(QuarantineReason.TOO_FEW_PIXELS.name(), width + "x" + height
                    + " has fewer than ingest.min-pixels=" + minPixels + " pixels");
        }
        if (pixels > maxPixels) {
            return DecodedImage.rejected(QuarantineReason.TOO_MANY_PIXELS.name(), width + "x" + height
                    + " exceeds ingest.max-pixels=" + maxPixels);
        }
        return DecodedImage.ok(ImageIoCodec.toPixels(ImageIoCodec.resize(
                ImageIoCodec.fromBgr(height, width, channels, data), image), image));
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(4, bytes.length); i++) {
            sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
