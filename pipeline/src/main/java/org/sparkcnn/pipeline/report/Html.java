package org.sparkcnn.pipeline.report;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/** HTML text escaping and inline images ({@code data:image/png;base64} URIs), so a report needs no other file. */
final class Html {
    private Html() {}

    /** Escapes text for element content and double- or single-quoted attribute values; null becomes "". */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** The image encoded as PNG. */
    static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG", e);
        }
        return out.toByteArray();
    }

    /** An {@code <img>} whose source is the PNG inline, with its pixel size and escaped alt text. */
    static String img(byte[] png, int width, int height, String alt) {
        return "<img src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\" width=\"" + width
                + "\" height=\"" + height + "\" alt=\"" + escape(alt) + "\">";
    }

    /** {@link #img(byte[], int, int, String)} of an image, encoded here. */
    static String img(BufferedImage image, String alt) {
        return img(png(image), image.getWidth(), image.getHeight(), alt);
    }
}
