package org.sparkcnn.pipeline.kernel;

import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adam's step against its definition in double precision, over lengths that end inside and on a chunk. */
class AdamKernelTest {
    @Test
    void stepsMatchTheDefinitionOverSeveralIterations() {
        for (int n : new int[]{1, 5, AdamKernel.CHUNK, 3 * AdamKernel.CHUNK + 17}) {
            SplittableRandom random = new SplittableRandom(n);
            float[] m = new float[n];
            float[] v = new float[n];
            double[] em = new double[n];
            double[] ev = new double[n];
            for (int t = 0; t < 4; t++) {
                float[] g = BatchNormKernelTest.values(random, n, 0f, 0.1f);
                float[] expectedUpdate = new float[n];
                // the betas as libnd4j holds them: floats (0.999f is 0.99900001)
                double b1 = 0.9f;
                double b2 = 0.999f;
                double alpha = 1e-3 * Math.sqrt(1 - Math.pow(b2, t + 1)) / (1 - Math.pow(b1, t + 1));
                for (int i = 0; i < n; i++) {
                    em[i] = b1 * em[i] + (1 - b1) * g[i];
                    ev[i] = b2 * ev[i] + (1 - b2) * g[i] * g[i];
                    expectedUpdate[i] = (float) (alpha * em[i] / (Math.sqrt(ev[i]) + 1e-8));
                }
                float a = AdamKernel.stepSize(1e-3, 0.9, 0.999, 1e-8, t);
                assertEquals(alpha, a, 1e-5 * alpha, "step size at iteration " + t);
                AdamKernel.step(FloatBuffer.wrap(g), FloatBuffer.wrap(m), FloatBuffer.wrap(v), a, 0.9f, 0.999f, 1e-8f);
                for (int i = 0; i < n; i++) {
                    assertEquals(em[i], m[i], 1e-5 * (1e-3 + Math.abs(em[i])), "m[" + i + "] at " + t);
                    assertEquals(ev[i], v[i], 1e-5 * (1e-6 + Math.abs(ev[i])), "v[" + i + "] at " + t);
                    assertEquals(expectedUpdate[i], g[i], 1e-4 * (1e-6 + Math.abs(expectedUpdate[i])), "update[" + i + "] at " + t);
                }
            }
        }
    }

    @Test
    void aStepSizeThatIsNotAFiniteNonZeroNumberFallsBackToEpsilonAsLibnd4jDoes() {
        assertEquals(1e-8f, AdamKernel.stepSize(0, 0.9, 0.999, 1e-8, 0));
        assertEquals(1e-8f, AdamKernel.stepSize(1e-3, 1.0, 0.999, 1e-8, 3));
    }

    @Test
    void aStateShorterThanTheGradientIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdamKernel.step(
                FloatBuffer.allocate(10), FloatBuffer.allocate(9), FloatBuffer.allocate(10), 1e-3f, 0.9f, 0.999f, 1e-8f));
        assertTrue(e.getMessage().contains("9 and 10 elements for a gradient of 10"), e.getMessage());
    }
}
