package org.sparkcnn.pipeline.augment;

/**
 * SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit counter passed through a strong finaliser. Tiny, fast, and
 * a good mixer of structured seeds such as (run seed, epoch, example id).
 */
final class SplitMix64 {
    static final long GAMMA = 0x9E3779B97F4A7C15L;
    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** The SplitMix64 finaliser: a bijection on 64-bit values with full avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GAMMA;
        return mix64(state);
    }

    /** Uniform in {@code [0, 1)} with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}
