package org.sparkcnn.pipeline.kernel;

import java.nio.FloatBuffer;

/**
 * Adam's update, as libnd4j's {@code adam_updater} computes it: with {@code t} the iteration,
 * {@code m = beta1 m + (1 - beta1) g}, {@code v = beta2 v + (1 - beta2) g^2}, and the gradient replaced by the step
 * {@code alpha m / (sqrt(v) + epsilon)}, where {@code alpha = lr sqrt(1 - beta2^(t+1)) / (1 - beta1^(t+1))} (or
 * {@code epsilon} where that is not a finite non-zero number, as libnd4j falls back).
 */
public final class AdamKernel {
    /** Elements a chunk: three chunks (24 KiB) stay in the first-level cache. */
    static final int CHUNK = 2048;

    private AdamKernel() {}

    /** libnd4j's step size for iteration {@code iteration}, in float as libnd4j computes it. */
    public static float stepSize(double learningRate, double beta1, double beta2, double epsilon, int iteration) {
        float b1t = (float) Math.pow((float) beta1, (float) iteration + 1);
        float b2t = (float) Math.pow((float) beta2, (float) iteration + 1);
        float alpha = (float) ((float) learningRate * (float) Math.sqrt(1.0 - b2t) / (1.0 - b1t));
        return Float.isFinite(alpha) && alpha != 0 ? alpha : (float) epsilon;
    }

    /**
     * One step over {@code gradient}, {@code m} and {@code v} (each indexed from 0 to the gradient's limit), in place:
     * the moments are updated and the gradient becomes the update that the network subtracts.
     *
     * @throws IllegalArgumentException if a buffer is shorter than the gradient
     */
    public static void step(FloatBuffer gradient, FloatBuffer m, FloatBuffer v, float alpha, float beta1, float beta2,
                            float epsilon) {
        int n = gradient.limit();
        if (m.limit() < n || v.limit() < n) {
            throw new IllegalArgumentException("Adam state of " + m.limit() + " and " + v.limit()
                    + " elements for a gradient of " + n);
        }
        float c1 = 1 - beta1;
        float c2 = 1 - beta2;
        float[] g = new float[CHUNK];
        float[] ms = new float[CHUNK];
        float[] vs = new float[CHUNK];
        for (int off = 0; off < n; off += CHUNK) {
            int len = Math.min(CHUNK, n - off);
            gradient.get(off, g, 0, len);
            m.get(off, ms, 0, len);
            v.get(off, vs, 0, len);
            for (int i = 0; i < len; i++) {
                float gi = g[i];
                float mi = beta1 * ms[i] + gi * c1;
                float vi = beta2 * vs[i] + gi * gi * c2;
                ms[i] = mi;
                vs[i] = vi;
                g[i] = mi * alpha / ((float) Math.sqrt(vi) + epsilon);
            }
            gradient.put(off, g, 0, len);
            m.put(off, ms, 0, len);
            v.put(off, vs, 0, len);
        }
    }
}
