package org.sparkcnn.pipeline.demo;

import org.sparkcnn.pipeline.storage.Storage;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A small deterministic image corpus in the Food-101 layout ({@code images/<class>/<id>.jpg},
 * {@code meta/classes.txt}, {@code meta/train.txt}, {@code meta/test.txt}): filled shapes with random
 * colours, positions, sizes, backgrounds and pixel noise. Every fifth image of a class is a test image.
 * The same seed and settings give byte-identical files.
 */
public final class SyntheticCorpus {
    public static final List<String> SHAPES = List.of("circle", "square", "triangle", "cross");
    private static final String DONE = "_CORPUS_COMPLETE";

    private SyntheticCorpus() {}

    /** Writes the corpus unless a complete one is already there; returns the number of images written. */
    public static int write(Storage storage, String root, int classes, int perClass, int size, long seed) {
        if (storage.exists(Storage.join(root, DONE))) {
            return 0;
        }
        List<String> names = SHAPES.subList(0, classes);
        StringBuilder train = new StringBuilder();
        StringBuilder test = new StringBuilder();
        int written = 0;
        for (int c = 0; c < names.size(); c++) {
            Random rng = new Random(seed * 1_000_003L + c);
            for (int i = 0; i < perClass; i++) {
                String id = String.format(Locale.ROOT, "%s/%05d", names.get(c), i);
                BufferedImage img = draw(names.get(c), size, rng);
                storage.writeAtomically(Storage.join(root, "images", id + ".jpg"), out -> {
                    if (!ImageIO.write(img, "jpg", out)) {
                        throw new IOException("no JPEG writer");
                    }
                });
                (i % 5 == 4 ? test : train).append(id).append('\n');
                written++;
            }
        }
        storage.writeString(Storage.join(root, "meta", "classes.txt"), String.join("\n", names) + "\n");
        storage.writeString(Storage.join(root, "meta", "train.txt"), train.toString());
        storage.writeString(Storage.join(root, "meta", "test.txt"), test.toString());
        storage.writeString(Storage.join(root, DONE), "images " + written + "\n");
        return written;
    }

    static BufferedImage draw(String shape, int size, Random rng) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            Color background = randomColor(rng);
            Color foreground = contrasting(background, rng);
            g.setColor(background);
            g.fillRect(0, 0, size, size);
            int s = (int) Math.round(size * (0.45 + 0.3 * rng.nextDouble()));
            int x = rng.nextInt(Math.max(1, size - s));
            int y = rng.nextInt(Math.max(1, size - s));
            g.setColor(foreground);
            switch (shape) {
                case "circle" -> g.fillOval(x, y, s, s);
                case "square" -> g.fillRect(x, y, s, s);
                case "triangle" -> g.fillPolygon(new Polygon(new int[]{x + s / 2, x, x + s}, new int[]{y, y + s, y + s}, 3));
                case "cross" -> {
                    g.setStroke(new BasicStroke(Math.max(2, s / 4f)));
                    g.drawLine(x, y, x + s, y + s);
                    g.drawLine(x + s, y, x, y + s);
                }
                default -> throw new IllegalArgumentException(shape);
            }
        } finally {
            g.dispose();
        }
        addNoise(img, rng, 12);
        return img;
    }

    private static Color randomColor(Random rng) {
        return new Color(rng.nextInt(256), rng.nextInt(256), rng.nextInt(256));
    }

    /** A random colour whose luminance differs from {@code background} by at least 70 of 255. */
    private static Color contrasting(Color background, Random rng) {
        double bg = luminance(background);
        for (int attempt = 0; attempt < 100; attempt++) {
            Color c = randomColor(rng);
            if (Math.abs(luminance(c) - bg) >= 70) {
                return c;
            }
        }
        return bg > 127 ? Color.BLACK : Color.WHITE;
    }

    private static double luminance(Color c) {
        return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
    }

    private static void addNoise(BufferedImage img, Random rng, double sigma) {
        byte[] data = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < data.length; i++) {
            int v = (data[i] & 0xff) + (int) Math.round(rng.nextGaussian() * sigma);
            data[i] = (byte) Math.max(0, Math.min(255, v));
        }
    }

}
