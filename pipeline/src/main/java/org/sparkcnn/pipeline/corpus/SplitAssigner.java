package org.sparkcnn.pipeline.corpus;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Assigns splits by a hash of (seed, purpose, relative path): stable when files are added, independent
 * of listing order and partitioning, and different for different seeds.
 */
public final class SplitAssigner {
    private final long seed;
    private final double validationFraction;
    private final double testFraction;

    public SplitAssigner(long seed, double validationFraction, double testFraction) {
        this.seed = seed;
        this.validationFraction = validationFraction;
        this.testFraction = testFraction;
    }

    /** For corpora without a test list: test by {@code testFraction}, then validation among the rest. */
    public Split assign(String relativePath) {
        if (unit("test", relativePath) < testFraction) {
            return Split.TEST;
        }
        return assignTrainOrValidation(relativePath);
    }

    /** For files a corpus marks as training files: validation by {@code validationFraction}. */
    public Split assignTrainOrValidation(String relativePath) {
        return unit("validation", relativePath) < validationFraction ? Split.VALIDATION : Split.TRAIN;
    }

    /** A uniform number in [0, 1) from SHA-256 of (seed, purpose, path). */
    public double unit(String purpose, String relativePath) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((seed + "\u0000" + purpose + "\u0000" + relativePath).getBytes(StandardCharsets.UTF_8));
            byte[] h = md.digest();
            long bits = 0;
            for (int i = 0; i < 7; i++) {
                bits = (bits << 8) | (h[i] & 0xff);
            }
            return (bits >>> 3) / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
