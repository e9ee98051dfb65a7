/**
 * CPU kernels written in Java for the training steps that libnd4j 1.0.0-M2.1 runs slowly on one thread: Adam's update
 * ({@link org.sparkcnn.pipeline.kernel.AdamKernel}: libnd4j's loop is scalar, about 5.3 ns a parameter) and batch
 * normalisation's forward and backward passes ({@link org.sparkcnn.pipeline.kernel.BatchNormKernel}: libnd4j's
 * {@code batchnorm_bp} makes about a dozen passes over the activations, where two are enough).
 *
 * <p>Contract: pure functions of their arguments over {@link java.nio.FloatBuffer}s (direct buffers over ND4J's
 * memory, or heap buffers in tests), indexed from 0 to each buffer's limit; they read and write nothing else and
 * keep no state. The arithmetic is the same as libnd4j's, in the same precision (float, with double accumulators
 * for the per-channel sums); {@code OneDnnHelpersTest} and {@code JavaAdamUpdaterTest} hold them to DL4J's own
 * path. Inner loops work on small heap arrays copied in and out in bulk, which HotSpot's C2 compiles to vector
 * instructions (C1, which {@code bin/pipeline} uses for the rest, compiles them to scalar code: see
 * docs/design.md, "JVM and Spark settings for local runs"). Imports nothing outside the JDK.
 */
package org.sparkcnn.pipeline.kernel;
