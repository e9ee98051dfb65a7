package org.sparkcnn.pipeline.model;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Whether the Java kernels ({@code org.sparkcnn.pipeline.kernel}: Adam's step, batch normalisation) run in place of
 * libnd4j's, and plain ReLU layers run as {@link ReluLayer}: on a CPU backend, unless the JVM's system property
 * {@value #PROPERTY} is {@code nd4j} (DL4J's layers and libnd4j's kernels throughout, for comparison or as a way
 * out). On a CUDA backend the arrays live on the GPU and none of these run.
 */
public final class CpuKernels {
    /** The system property that turns the Java kernels off: {@code -Dsparkcnn.kernels=nd4j}. */
    public static final String PROPERTY = "sparkcnn.kernels";
    private static volatile Boolean enabled;

    private CpuKernels() {}

    /** Whether the Java kernels are in use in this JVM. */
    public static boolean enabled() {
        Boolean e = enabled;
        if (e == null) {
            e = compute();
            enabled = e;
        }
        return e;
    }

    /** Sets whether the kernels are in use, null to read the property again; returns the setting before (tests). */
    static Boolean set(Boolean use) {
        Boolean before = enabled;
        enabled = use;
        return before;
    }

    private static boolean compute() {
        String choice = System.getProperty(PROPERTY, "java");
        if (!choice.equals("java") && !choice.equals("nd4j")) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + choice + ": expected java (the default) or nd4j");
        }
        try {
            return choice.equals("java")
                    && "CPU".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
