package org.sparkcnn.pipeline.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sparkcnn.pipeline.config.PipelineConfig.Decoder;
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

    /**
     * Decoding never goes through ImageIO's file cache (a temporary file per image): with the cache folder gone,
     * ImageIO.createImageInputStream cannot make its stream, and every format must still decode.
     */
    @ParameterizedTest
    @EnumSource(Decoder.class)
    void decodingNeverCachesImagesInTemporaryFiles(Decoder backend) throws IOException {
        String[] formats = {"png", "jpeg", "bmp", "gif"};
        byte[][] encoded = new byte[formats.length][];
        for (int i = 0; i < formats.length; i++) {
            encoded[i] = encode(redBlue(), formats[i]);
        }
        java.nio.file.Path cache = java.nio.file.Files.createTempDirectory("imageio-cache");
        java.io.File before = ImageIO.getCacheDirectory();
        boolean usedCache = ImageIO.getUseCache();
        ImageIO.setUseCache(true);
        ImageIO.setCacheDirectory(cache.toFile());
        java.nio.file.Files.delete(cache);
        try {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(encoded[0])),
                    "the injected fault: ImageIO's own file-cached stream cannot be made");
            ImageDecoder decoder = new ImageDecoder(new ImageConfig(2, 4, 3, ResizeMode.STRETCH), 1, 1000, backend);
            for (int i = 0; i < formats.length; i++) {
                DecodedImage d = decoder.decode(encoded[i]);
                assertTrue(d.isOk(), formats[i] + ": " + d.rejectMessage());
            }
        } finally {
            ImageIO.setCacheDirectory(before);
            ImageIO.setUseCache(usedCache);
        }
    }

    @ParameterizedTest
    @EnumSource(Decoder.class)
    void pngAtTargetSizeDecodesToExactChannelMajorRgb(Decoder backend) throws IOException {
        ImageDecoder decoder = new ImageDecoder(new ImageConfig(2, 4, 3, ResizeMode.STRETCH), 1, 1000, backend);
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

    @ParameterizedTest
    @EnumSource(Decoder.class)
    void grayscaleOutputHasOnePlane(Decoder backend) throws IOException {
        BufferedImage white = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                white.setRGB(x, y, 0xFFFFFF);
            }
        }
        ImageDecoder decoder = new ImageDecoder(new ImageConfig(4, 4, 1, ResizeMode.STRETCH), 1, 1000, backend);
        DecodedImage d = decoder.decode(encode(white, "png"));
        assertTrue(d.isOk());
        byte[] expected = new byte[16];
        Arrays.fill(expected, (byte) 255);
        assertArrayEquals(expected, d.pixels());
    }

    @ParameterizedTest
    @EnumSource(Decoder.class)
    void centerCropKeepsTheMiddle(Decoder backend) throws IOException {
        // 6x2: blue | red red | blue; center-crop to 2x2 keeps only the red middle
        BufferedImage img = new BufferedImage(6, 2, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 6; x++) {
                img.setRGB(x, y, x >= 2 && x < 4 ? 0xFF0000 : 0x0000FF);
            }
        }
        ImageDecoder crop = new ImageDecoder(new ImageConfig(2, 2, 3, ResizeMode.CENTER_CROP), 1, 1000, backend);
        byte[] p = crop.decode(encode(img, "png")).pixels();
        for (int i = 0; i < 4; i++) {
            assertEquals(255, u(p[i]), "red plane " + i);
            assertEquals(0, u(p[8 + i]), "blue plane " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Decoder.class)
    void jpegBmpAndGifDecode(Decoder backend) throws IOException {
        ImageDecoder decoder = new ImageDecoder(new ImageConfig(2, 4, 3, ResizeMode.STRETCH), 1, 1000, backend);
        for (String format : new String[]{"jpg", "bmp", "gif"}) {
            DecodedImage d = decoder.decode(encode(redBlue(), format));
            assertTrue(d.isOk(), format + ": " + d.rejectMessage());
            assertTrue(u(d.pixels()[0]) > 150, format + " keeps red on the left");
        }
    }

    @ParameterizedTest
    @EnumSource(Decoder.class)
    void badInputsAreRejectedWithTheirReason(Decoder backend) throws IOException {
        ImageDecoder decoder = new ImageDecoder(new ImageConfig(8, 8, 3, ResizeMode.STRETCH), 16, 10_000, backend);
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
        ImageDecoder strict = new ImageDecoder(new ImageConfig(8, 8, 3, ResizeMode.STRETCH), 1, 100, backend);
        assertEquals("TOO_MANY_PIXELS", strict.decode(jpeg).rejectReason());
    }

    /** Inserts an APP1 EXIF segment holding only the orientation tag right after the JPEG's SOI marker. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {
                'I', 'I', 42, 0, 8, 0, 0, 0,            // little-endian TIFF header, IFD0 at offset 8
                1, 0,                                    // one entry
                0x12, 0x01, 3, 0, 1, 0, 0, 0,            // tag 0x0112 (orientation), SHORT, count 1
                (byte) orientation, 0, 0, 0,             // value
                0, 0, 0, 0};                             // no next IFD
        byte[] exif = new byte[6 + tiff.length];
        System.arraycopy("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, exif, 0, 6);
        System.arraycopy(tiff, 0, exif, 6, tiff.length);
        int len = exif.length + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);                          // SOI
        out.write(0xFF);
        out.write(0xE1);
        out.write(len >> 8);
        out.write(len & 0xff);
        out.write(exif, 0, exif.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    @Test
    void openCvHonoursExifOrientation() throws IOException {
        // 32 wide x 16 high: left half red, right half blue; orientation 6 = rotate 90 degrees clockwise
        BufferedImage img = new BufferedImage(32, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, x < 16 ? 0xFF0000 : 0x0000FF);
            }
        }
        byte[] rotated = withExifOrientation(encode(img, "jpg"), 6);
        ImageDecoder decoder = new ImageDecoder(new ImageConfig(32, 16, 3, ResizeMode.STRETCH), 1, 10_000, Decoder.OPENCV);
        DecodedImage d = decoder.decode(rotated);
        assertTrue(d.isOk(), d.rejectMessage());
        byte[] p = d.pixels();
        int plane = 32 * 16;
        int top = 2 * 16 + 8;       // row 2, column 8
        int bottom = 29 * 16 + 8;   // row 29, column 8
        assertTrue(u(p[top]) > 200 && u(p[2 * plane + top]) < 60, "top is red after rotation");
        assertTrue(u(p[bottom]) < 60 && u(p[2 * plane + bottom]) > 200, "bottom is blue after rotation");
    }

    @ParameterizedTest
    @EnumSource(Decoder.class)
    void sixteenBitPaletteAndAlphaImagesBecomeEightBitRgb(Decoder backend) throws IOException {
        ImageDecoder decoder = new ImageDecoder(new ImageConfig(4, 4, 3, ResizeMode.STRETCH), 1, 10_000, backend);

        BufferedImage gray16 = new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                gray16.getRaster().setSample(x, y, 0, 0xFFFF);
            }
        }
        DecodedImage g = decoder.decode(encode(gray16, "png"));
        assertTrue(g.isOk(), g.rejectMessage());
        for (byte b : g.pixels()) {
            assertEquals(255, u(b));
        }

        BufferedImage palette = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                palette.setRGB(x, y, 0x00FF00);
            }
        }
        DecodedImage pal = decoder.decode(encode(palette, "png"));
        assertTrue(pal.isOk(), pal.rejectMessage());
        assertEquals(0, u(pal.pixels()[0]));
        assertEquals(255, u(pal.pixels()[16]));

        BufferedImage argb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                argb.setRGB(x, y, 0xFF0000FF);
            }
        }
        DecodedImage alpha = decoder.decode(encode(argb, "png"));
        assertTrue(alpha.isOk(), alpha.rejectMessage());
        assertEquals(255, u(alpha.pixels()[32]), "opaque blue stays blue");
    }

    @Test
    void openCvDecodesCmykJpegs() throws IOException {
        // A 4-band raster written by ImageIO's JPEG writer is stored as Adobe CMYK; ImageIO cannot read it back.
        java.awt.image.WritableRaster cmyk = java.awt.image.Raster.createInterleavedRaster(
                java.awt.image.DataBuffer.TYPE_BYTE, 8, 8, 4, null);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                cmyk.setPixel(x, y, new int[]{255, 255, 255, 255});
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (javax.imageio.stream.ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new javax.imageio.IIOImage(cmyk, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        ImageDecoder decoder = new ImageDecoder(new ImageConfig(8, 8, 3, ResizeMode.STRETCH), 1, 10_000, Decoder.OPENCV);
        DecodedImage d = decoder.decode(out.toByteArray());
        assertTrue(d.isOk(), d.rejectMessage());
        assertEquals(3 * 64, d.pixels().length);
    }
}
