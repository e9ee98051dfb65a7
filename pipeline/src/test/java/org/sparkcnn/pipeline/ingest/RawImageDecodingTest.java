package org.sparkcnn.pipeline.ingest;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.config.PipelineConfig.Decoder;
import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.ResizeMode;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ImageDecoder#decodeRaw}: pixels Spark's {@code image} data source decoded already (OpenCV's B, G, R[, A]
 * rows) give the same pixels as the encoded file through {@link ImageDecoder#decode}; what Spark marks unreadable,
 * and pixel data that does not fit its shape, are rejected with the reason.
 */
class RawImageDecodingTest {
    private static final ImageDecoder DECODER =
            new ImageDecoder(new ImageConfig(3, 5, 3, ResizeMode.STRETCH), 1, 10_000, Decoder.IMAGEIO);

    /** A 6x10 picture with a different colour in each quarter. */
    private static BufferedImage picture() {
        BufferedImage img = new BufferedImage(10, 6, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 10; x++) {
                img.setRGB(x, y, (x < 5 ? 0xC01020 : 0x20B040) + (y < 3 ? 0 : 0x000080));
            }
        }
        return img;
    }

    /** What Spark's image source stores: rows of B, G, R (and A) bytes. */
    private static byte[] bgr(BufferedImage img, boolean alpha) {
        int c = alpha ? 4 : 3;
        byte[] out = new byte[img.getWidth() * img.getHeight() * c];
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int i = (y * img.getWidth() + x) * c;
                out[i] = (byte) rgb;
                out[i + 1] = (byte) (rgb >> 8);
                out[i + 2] = (byte) (rgb >> 16);
                if (alpha) {
                    out[i + 3] = (byte) 0xff;
                }
            }
        }
        return out;
    }

    @Test
    void rawBgrAndBgraPixelsDecodeAsTheEncodedFileDoes() throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(picture(), "png", png);
        DecodedImage fromFile = DECODER.decode(png.toByteArray());
        assertTrue(fromFile.isOk(), fromFile.rejectMessage());
        DecodedImage bgr = DECODER.decodeRaw(6, 10, 3, bgr(picture(), false));
        DecodedImage bgra = DECODER.decodeRaw(6, 10, 4, bgr(picture(), true));
        assertArrayEquals(fromFile.pixels(), bgr.pixels());
        assertArrayEquals(fromFile.pixels(), bgra.pixels());
        assertEquals(3 * 5 * 3, bgr.pixels().length);
        assertEquals((byte) 0xC0, bgr.pixels()[0], "channel 0 is red: the top-left quarter's R");
    }

    @Test
    void whatSparkCouldNotReadAndPixelsThatDoNotFitTheirShapeAreRejected() {
        assertEquals("NOT_AN_IMAGE", DECODER.decodeRaw(-1, -1, -1, new byte[0]).rejectReason());
        assertEquals("CORRUPT", DECODER.decodeRaw(6, 10, 3, new byte[17]).rejectReason());
        assertEquals("CORRUPT", DECODER.decodeRaw(6, 10, 2, new byte[120]).rejectReason());
        assertEquals("TOO_MANY_PIXELS", DECODER.decodeRaw(200, 200, 1, new byte[40_000]).rejectReason());
    }
}
