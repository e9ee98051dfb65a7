package org.sparkcnn.pipeline.device;

/**
 * Whether this JVM's ND4J will run on CUDA, answered without initialising ND4J (which, under CUDA, loads the
 * CUDA libraries and creates a context on the GPU; on a GPU its kernels do not cover, that fails in native code).
 * The answer is whether ND4J's CUDA backend class is on the classpath: a {@code -Pcuda} build ships
 * {@code nd4j-cuda-11.6} in place of {@code nd4j-native}, and ND4J prefers it when both are present.
 */
public final class CudaBackend {
    /** ND4J's CUDA backend ({@code org.nd4j:nd4j-cuda-11.6}); loaded here by name only, never initialised. */
    public static final String BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";

    private CudaBackend() {}

    /** True when ND4J's CUDA backend is on this JVM's classpath (the task's class loader, else this class's). */
    public static boolean selected() {
        return onClasspath(BACKEND_CLASS);
    }

    static boolean onClasspath(String className) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        for (ClassLoader loader : new ClassLoader[] {context, CudaBackend.class.getClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                Class.forName(className, false, loader);
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                // not visible from this loader: try the next
            }
        }
        return false;
    }
}
