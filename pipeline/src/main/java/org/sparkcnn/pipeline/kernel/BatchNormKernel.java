package org.sparkcnn.pipeline.kernel;

import java.nio.FloatBuffer;

/**
 * Batch normalisation over activations laid out as {@code [n][channels][spatial]} (NCHW with {@code spatial = h w},
 * or a dense layer's {@code [n][channels]} with {@code spatial = 1}), per channel: the batch's mean and biased
 * variance ({@link #moments}), the normalised output {@code gamma (x - mean) / sqrt(var + eps) + beta}
 * ({@link #normalize}), and the backward pass ({@link #backward}) with the same arithmetic as libnd4j's
 * {@code batchnorm_bp}: {@code dBeta = sum dy}, {@code dGamma = sum dy xhat} and
 * {@code dx = gamma / sqrt(var + eps) (dy - dBeta / m - xhat dGamma / m)} over the {@code m = n spatial} values of a
 * channel. Two passes over the activations in each direction; sums in double.
 */
public final class BatchNormKernel {
    static final int CHUNK = 2048;

    private BatchNormKernel() {}

    /** The shape of a batch of activations: {@code n x channels x spatial} floats. */
    public record Shape(int n, int channels, int spatial) {
        public Shape {
            if (n < 1 || channels < 1 || spatial < 1 || (long) n * channels * spatial > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("activations of " + n + " x " + channels + " x " + spatial);
            }
        }

        int length() {
            return n * channels * spatial;
        }

        double perChannel() {
            return (double) n * spatial;
        }
    }

    /** Each channel's mean and biased variance into {@code mean} and {@code var}: two passes over {@code x}. */
    public static void moments(FloatBuffer x, Shape shape, FloatBuffer mean, FloatBuffer var) {
        check(x, shape, "x");
        int c = shape.channels();
        double[] sum = new double[c];
        reduce(x, null, shape, null, sum, null);
        float[] mu = new float[c];
        for (int ch = 0; ch < c; ch++) {
            mu[ch] = (float) (sum[ch] / shape.perChannel());
        }
        double[] squares = new double[c];
        reduce(x, null, shape, mu, null, squares);
        for (int ch = 0; ch < c; ch++) {
            mean.put(ch, mu[ch]);
            var.put(ch, (float) (squares[ch] / shape.perChannel()));
        }
    }

    /** {@code out = gamma (x - mean) / sqrt(var + eps) + beta}, per channel; {@code out} may be {@code x}. */
    public static void normalize(FloatBuffer x, Shape shape, FloatBuffer mean, FloatBuffer var, FloatBuffer gamma,
                                 FloatBuffer beta, double eps, FloatBuffer out) {
        check(x, shape, "x");
        check(out, shape, "out");
        int c = shape.channels();
        float[] scale = new float[c];
        float[] shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double k = gamma.get(ch) / Math.sqrt(var.get(ch) + eps);
            scale[ch] = (float) k;
            shift[ch] = (float) (beta.get(ch) - mean.get(ch) * k);
        }
        affine(x, null, shape, scale, null, shift, out);
    }

    /**
     * The backward pass for a training step's batch statistics {@code mean} and {@code var}: the input gradient into
     * {@code dx} (which may be {@code dy}) and gamma's and beta's gradients, summed over the batch, into
     * {@code dGamma} and {@code dBeta}.
     */
    public static void backward(FloatBuffer x, FloatBuffer dy, Shape shape, FloatBuffer mean, FloatBuffer var,
                                FloatBuffer gamma, double eps, FloatBuffer dx, FloatBuffer dGamma, FloatBuffer dBeta) {
        check(x, shape, "x");
        check(dy, shape, "dy");
        check(dx, shape, "dx");
        int c = shape.channels();
        float[] mu = new float[c];
        for (int ch = 0; ch < c; ch++) {
            mu[ch] = mean.get(ch);
        }
        double[] sumDy = new double[c];
        double[] sumDyCentred = new double[c];
        reduce(dy, x, shape, mu, sumDy, sumDyCentred);
        float[] kDy = new float[c];
        float[] kX = new float[c];
        float[] k0 = new float[c];
        double m = shape.perChannel();
        for (int ch = 0; ch < c; ch++) {
            double invStd = 1 / Math.sqrt(var.get(ch) + eps);
            double g = gamma.get(ch) * invStd;
            double dGammaCh = sumDyCentred[ch] * invStd;   // sum dy xhat
            dGamma.put(ch, (float) dGammaCh);
            dBeta.put(ch, (float) sumDy[ch]);
            // dx = g (dy - sumDy / m - (x - mu) invStd dGamma / m) = kDy dy + kX x + k0
            double slope = g * invStd * dGammaCh / m;
            kDy[ch] = (float) g;
            kX[ch] = (float) -slope;
            k0[ch] = (float) (slope * mu[ch] - g * sumDy[ch] / m);
        }
        affine(dy, x, shape, kDy, kX, k0, dx);
    }

    /**
     * Per-channel sums over chunks of {@code a} (and {@code b}): with {@code centre} null, {@code sum += a}; with
     * {@code b} null, {@code second += (a - centre)^2}; with both, {@code sum += a} and
     * {@code second += a (b - centre)}.
     */
    private static void reduce(FloatBuffer a, FloatBuffer b, Shape shape, float[] centre, double[] sum,
                               double[] second) {
        int total = shape.length();
        int s = shape.spatial();
        int c = shape.channels();
        float[] ca = new float[CHUNK];
        float[] cb = b == null ? null : new float[CHUNK];
        for (int off = 0; off < total; off += CHUNK) {
            int len = Math.min(CHUNK, total - off);
            a.get(off, ca, 0, len);
            if (b != null) {
                b.get(off, cb, 0, len);
            }
            int i = 0;
            while (i < len) {
                int pos = off + i;
                int ch = (pos / s) % c;
                int end = Math.min(len, i + s - pos % s);
                if (centre == null) {
                    sum[ch] += sum(ca, i, end);
                } else if (b == null) {
                    second[ch] += squares(ca, i, end, centre[ch]);
                } else {
                    sum[ch] += sum(ca, i, end);
                    second[ch] += products(ca, cb, i, end, centre[ch]);
                }
                i = end;
            }
        }
    }

    /** {@code out = ka a + kb b + k0} per channel over chunks ({@code b} and {@code kb} may be null). */
    private static void affine(FloatBuffer a, FloatBuffer b, Shape shape, float[] ka, float[] kb, float[] k0,
                               FloatBuffer out) {
        int total = shape.length();
        int s = shape.spatial();
        int c = shape.channels();
        float[] ca = new float[CHUNK];
        float[] cb = b == null ? null : new float[CHUNK];
        for (int off = 0; off < total; off += CHUNK) {
            int len = Math.min(CHUNK, total - off);
            a.get(off, ca, 0, len);
            if (b != null) {
                b.get(off, cb, 0, len);
            }
            int i = 0;
            while (i < len) {
                int pos = off + i;
                int ch = (pos / s) % c;
                int end = Math.min(len, i + s - pos % s);
                float x0 = ka[ch];
                float z = k0[ch];
                if (b == null) {
                    for (int j = i; j < end; j++) {
                        ca[j] = x0 * ca[j] + z;
                    }
                } else {
                    float x1 = kb[ch];
                    for (int j = i; j < end; j++) {
                        ca[j] = x0 * ca[j] + x1 * cb[j] + z;
                    }
                }
                i = end;
            }
            out.put(off, ca, 0, len);
        }
    }

    private static double sum(float[] a, int from, int to) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = from;
        for (; j + 3 < to; j += 4) {
            s0 += a[j];
            s1 += a[j + 1];
            s2 += a[j + 2];
            s3 += a[j + 3];
        }
        for (; j < to; j++) {
            s0 += a[j];
        }
        return (double) s0 + s1 + s2 + s3;
    }

    private static double squares(float[] a, int from, int to, float centre) {
        float s0 = 0;
        float s1 = 0;
        int j = from;
        for (; j + 1 < to; j += 2) {
            float d0 = a[j] - centre;
            float d1 = a[j + 1] - centre;
            s0 += d0 * d0;
            s1 += d1 * d1;
        }
        for (; j < to; j++) {
            float d = a[j] - centre;
            s0 += d * d;
        }
        return (double) s0 + s1;
    }

    private static double products(float[] a, float[] b, int from, int to, float centre) {
        float s0 = 0;
        float s1 = 0;
        int j = from;
        for (; j + 1 < to; j += 2) {
            s0 += a[j] * (b[j] - centre);
            s1 += a[j + 1] * (b[j + 1] - centre);
        }
        for (; j < to; j++) {
            s0 += a[j] * (b[j] - centre);
        }
        return (double) s0 + s1;
    }

    private static void check(FloatBuffer buffer, Shape shape, String name) {
        if (buffer.limit() < shape.length()) {
            throw new IllegalArgumentException(name + " holds " + buffer.limit() + " floats; " + shape + " needs "
                    + shape.length());
        }
    }
}
