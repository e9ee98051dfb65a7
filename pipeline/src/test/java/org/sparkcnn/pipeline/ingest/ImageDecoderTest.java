package org.sparkcnn.pipeline.ingest;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.ResizeMode;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageDecoderTest {

    static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), "writer for " + format);
        return out.toByteArray();
    }

    /** 4x2 image: left half pure red, right half pure blue. */
    static BufferedImage redBlue() {
        BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 4; x++) {
                img.setRGB(x, y, x < 2 ? 0xFF0000 : 0x0000FF);
            }
        }
        return img;
    }

    private static int u(byte b) {
        return b & 0xff;
    }

    @Test
    void pngAtTargetSizeDecodesToExactChannelMajorRgb() throws IOException {
        ImageDecoder decoder = new ImageDecoder(new ImageConfig(2, 4, 3, ResizeMode.STRETCH), 1, 1000);
        DecodedImage d = decoder.decode(encode(redBlue(), "png"));
        assertTrue(d.isOk(), d.rejectMessage());
        byte[] p = d.pixels();
        assertEquals(3 * 2 * 4, p.length);
        // plane 0 = R, plane 1 = G, plane 2 = B; pixel (y=1, x=0) is red, (y=0, x=3) is blue
        assertEquals(255, u(p[4]));
        assertEquals(0, u(p[8 + 4]));
        assertEquals(0, u(p[16 + 4]));
        assertEquals(0, u(p[3]));
        assertEquals(255, u(p[16 + 3]));
    }

    @Test
    void grayscaleOutputHasOnePlane() throws IOException {
        BufferedImage white = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                white.setRGB(x, y, 0xFFFFFF);
            }
        }
        ImageDecoder decoder = new ImageDecoder(new ImageConfig(4, 4, 1, ResizeMode.STRETCH), 1, 1000);
        DecodedImage d = decoder.decode(encode(white, "png"));
        assertTrue(d.isOk());
        byte[] expected = new byte[16];
        Arrays.fill(expected, (byte) 255);
        assertArrayEquals(expected, d.pixels());
    }

    @Test
    void centerCropKeepsTheMiddle() throws IOException {
        // 6x2: blue | red red | blue; center-crop to 2x2 keeps only the red middle
        BufferedImage img = new BufferedImage(6, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 6; x++) {
                img.setRGB(x, y, x >= 2 && x < 4 ? 0xFF0000 : 0x0000FF);
            }
        }
        ImageDecoder crop = new ImageDecoder(new ImageConfig(2, 2, 3, ResizeMode.CENTER_CROP), 1, 1000);
        byte[] p = crop.decode(encode(img, "png")).pixels();
        for (int i = 0; i < 4; i++) {
            assertEquals(255, u(p[i]), "red plane " + i);
            assertEquals(0, u(p[8 + i]), "blue plane " + i);
        }
    }

    @Test
    void jpegBmpAndGifDecode() throws IOException {
        ImageDecoder decoder = new ImageDecoder(new ImageConfig(2, 4, 3, ResizeMode.STRETCH), 1, 1000);
        for (String format : new String[]{"jpg", "bmp", "gif"}) {
            DecodedImage d = decoder.decode(encode(redBlue(), format));
            assertTrue(d.isOk(), format + ": " + d.rejectMessage());
            assertTrue(u(d.pixels()[0]) > 150, format + " keeps red on the left");
        }
    }

    @Test
    void badInputsAreRejectedWithTheirReason() throws IOException {
        ImageDecoder decoder = new ImageDecoder(new ImageConfig(8, 8, 3, ResizeMode.STRETCH), 16, 10_000);
        assertEquals("EMPTY_FILE", decoder.decode(new byte[0]).rejectReason());
        assertEquals("NOT_AN_IMAGE", decoder.decode("hello, not an image".getBytes()).rejectReason());

        BufferedImage big = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                big.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | ((x + y) * 2));
            }
        }
        byte[] jpeg = encode(big, "jpg");
        DecodedImage truncated = decoder.decode(Arrays.copyOf(jpeg, jpeg.length / 2));
        assertFalse(truncated.isOk());
        assertEquals("CORRUPT", truncated.rejectReason());

        DecodedImage tiny = decoder.decode(encode(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png"));
        assertEquals("TOO_FEW_PIXELS", tiny.rejectReason());
        ImageDecoder strict = new ImageDecoder(new ImageConfig(8, 8, 3, ResizeMode.STRETCH), 1, 100);
        assertEquals("TOO_MANY_PIXELS", strict.decode(jpeg).rejectReason());
    }
}
