package org.sparkcnn.pipeline.device;

import org.bytedeco.javacpp.Loader;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;

/**
 * The GPU architectures of the {@code libnd4jcuda.so} on this classpath, read with {@link CudaFatbin} without loading
 * it; {@link CudaArchitectures#ND4J_CUDA_11_6_M2_1} (what that release's file holds) when there is none or it cannot
 * be read. A library inside a jar is first extracted into JavaCPP's cache ({@code Loader.cacheResource}), where
 * ND4J's own loading later finds it: the 900 MB are written once per host either way.
 */
public final class Nd4jCudaCode {
    /** Where nd4j-cuda-11.6's jars keep the library: the cuDNN build first (what -Pcuda ships), then the plain one. */
    static final List<String> RESOURCES = List.of(
            "org/nd4j/linalg/jcublas/bindings/linux-x86_64-cudnn/libnd4jcuda.so",
            "org/nd4j/linalg/jcublas/bindings/linux-x86_64/libnd4jcuda.so");

    /** Extracts a jar resource to a file (JavaCPP's cache in production). */
    @FunctionalInterface
    interface Extractor {
        Path extract(URL resource) throws IOException;
    }

    private Nd4jCudaCode() {}

    /** From the context class loader, extracting through JavaCPP's cache. */
    public static CudaArchitectures architectures() {
        return architectures(Thread.currentThread().getContextClassLoader(), url -> Loader.cacheResource(url).toPath());
    }

    static CudaArchitectures architectures(ClassLoader classpath, Extractor extractor) {
        for (String name : RESOURCES) {
            URL url = classpath == null ? null : classpath.getResource(name);
            if (url == null) {
                continue;
            }
            try {
                Path file = "file".equals(url.getProtocol()) ? Path.of(url.toURI()) : extractor.extract(url);
                return CudaFatbin.read(file);
            } catch (IOException | URISyntaxException | RuntimeException e) {
                CudaArchitectures recorded = CudaArchitectures.ND4J_CUDA_11_6_M2_1;
                return new CudaArchitectures(recorded.cubin(), recorded.ptx(), recorded.fatbins(), recorded.source()
                        + ", as recorded: " + url + " could not be read (" + e.getMessage() + ")");
            }
        }
        return CudaArchitectures.ND4J_CUDA_11_6_M2_1;
    }
}
