package org.sparkcnn.pipeline.kernel;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel against batch normalisation written out in double precision, element by element, over shapes whose
 * channels straddle the kernel's chunks (49 and 9 positions, a dense layer's 1) and ones that fill them.
 */
class BatchNormKernelTest {
    private static final double EPS = 1e-5;

    @ParameterizedTest
    @CsvSource({"4, 3, 49", "2, 5, 9", "16, 7, 1", "3, 2, 4096", "1, 1, 1", "5, 64, 4"})
    void momentsNormaliseAndBackwardMatchTheDefinition(int n, int c, int s) {
        BatchNormKernel.Shape shape = new BatchNormKernel.Shape(n, c, s);
        SplittableRandom random = new SplittableRandom(n * 31L + c * 7L + s);
        float[] x = values(random, n * c * s, 2.5f, 3f);
        float[] dy = values(random, n * c * s, 0f, 1f);
        float[] gamma = values(random, c, 1f, 0.5f);
        float[] beta = values(random, c, 0f, 0.5f);

        float[] mean = new float[c];
        float[] var = new float[c];
        BatchNormKernel.moments(FloatBuffer.wrap(x), shape, FloatBuffer.wrap(mean), FloatBuffer.wrap(var));
        double[] expectedMean = new double[c];
        double[] expectedVar = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < s; p++) {
                    sum += x[(i * c + ch) * s + p];
                }
            }
            expectedMean[ch] = sum / (n * s);
            double sq = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < s; p++) {
                    double d = x[(i * c + ch) * s + p] - expectedMean[ch];
                    sq += d * d;
                }
            }
            expectedVar[ch] = sq / (n * s);
            assertEquals(expectedMean[ch], mean[ch], 1e-5 * (1 + Math.abs(expectedMean[ch])), "mean of channel " + ch);
            assertEquals(expectedVar[ch], var[ch], 1e-5 * (1 + expectedVar[ch]), "variance of channel " + ch);
        }

        float[] out = new float[x.length];
        BatchNormKernel.normalize(FloatBuffer.wrap(x), shape, FloatBuffer.wrap(mean), FloatBuffer.wrap(var),
                FloatBuffer.wrap(gamma), FloatBuffer.wrap(beta), EPS, FloatBuffer.wrap(out));
        float[] dx = new float[x.length];
        float[] dGamma = new float[c];
        float[] dBeta = new float[c];
        BatchNormKernel.backward(FloatBuffer.wrap(x), FloatBuffer.wrap(dy), shape, FloatBuffer.wrap(mean),
                FloatBuffer.wrap(var), FloatBuffer.wrap(gamma), EPS, FloatBuffer.wrap(dx), FloatBuffer.wrap(dGamma),
                FloatBuffer.wrap(dBeta));
        for (int ch = 0; ch < c; ch++) {
            double invStd = 1 / Math.sqrt(var[ch] + EPS);
            double sumDy = 0;
            double sumDyXhat = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < s; p++) {
                    int at = (i * c + ch) * s + p;
                    double xhat = (x[at] - mean[ch]) * invStd;
                    assertEquals(gamma[ch] * xhat + beta[ch], out[at], 2e-5 * (1 + Math.abs(gamma[ch] * xhat)), "output at " + at);
                    sumDy += dy[at];
                    sumDyXhat += dy[at] * xhat;
                }
            }
            assertEquals(sumDy, dBeta[ch], 1e-4 * (1 + Math.abs(sumDy)), "dBeta of channel " + ch);
            assertEquals(sumDyXhat, dGamma[ch], 1e-4 * (1 + Math.abs(sumDyXhat)), "dGamma of channel " + ch);
            double m = (double) n * s;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < s; p++) {
                    int at = (i * c + ch) * s + p;
                    double xhat = (x[at] - mean[ch]) * invStd;
                    double expected = gamma[ch] * invStd * (dy[at] - sumDy / m - xhat * sumDyXhat / m);
                    assertEquals(expected, dx[at], 1e-4 * (1 + Math.abs(expected)), "dx at " + at);
                }
            }
        }
    }

    @Test
    void theInputGradientMayOverwriteTheOutputGradient() {
        BatchNormKernel.Shape shape = new BatchNormKernel.Shape(3, 4, 25);
        SplittableRandom random = new SplittableRandom(5);
        float[] x = values(random, 300, 1f, 2f);
        float[] dy = values(random, 300, 0f, 1f);
        float[] gamma = values(random, 4, 1f, 0.5f);
        float[] mean = new float[4];
        float[] var = new float[4];
        BatchNormKernel.moments(FloatBuffer.wrap(x), shape, FloatBuffer.wrap(mean), FloatBuffer.wrap(var));
        float[] apart = new float[300];
        BatchNormKernel.backward(FloatBuffer.wrap(x), FloatBuffer.wrap(dy), shape, FloatBuffer.wrap(mean),
                FloatBuffer.wrap(var), FloatBuffer.wrap(gamma), EPS, FloatBuffer.wrap(apart), FloatBuffer.allocate(4),
                FloatBuffer.allocate(4));
        BatchNormKernel.backward(FloatBuffer.wrap(x), FloatBuffer.wrap(dy), shape, FloatBuffer.wrap(mean),
                FloatBuffer.wrap(var), FloatBuffer.wrap(gamma), EPS, FloatBuffer.wrap(dy), FloatBuffer.allocate(4),
                FloatBuffer.allocate(4));
        assertTrue(java.util.Arrays.equals(apart, dy));
    }

    @Test
    void aShortBufferOrABadShapeIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchNormKernel.moments(
                FloatBuffer.allocate(10), new BatchNormKernel.Shape(2, 3, 2), FloatBuffer.allocate(3),
                FloatBuffer.allocate(3)));
        assertTrue(e.getMessage().contains("x holds 10 floats"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BatchNormKernel.Shape(0, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> new BatchNormKernel.Shape(65536, 65536, 2));
    }

    static float[] values(SplittableRandom random, int length, float centre, float spread) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) {
            a[i] = centre + spread * (float) (random.nextDouble() * 2 - 1);
        }
        return a;
    }
}
