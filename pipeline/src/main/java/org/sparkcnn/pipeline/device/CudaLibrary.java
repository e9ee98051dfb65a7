package org.sparkcnn.pipeline.device;

import java.io.Serializable;
import java.util.List;

/**
 * A shared library ND4J's CUDA build needs at run time, by the exact name the dynamic loader looks for, and the
 * component (with its package) that provides it.
 *
 * @param soname    e.g. {@code libcudnn.so.8}
 * @param component e.g. "cuDNN 8 (package libcudnn8, cuDNN 8.3 for CUDA 11.x)"
 */
public record CudaLibrary(String soname, String component) implements Serializable {
    private static final String DRIVER = "the NVIDIA driver (R450.80.02 or newer; provides libcuda)";
    private static final String CUDNN = "cuDNN 8 (package libcudnn8, cuDNN 8.3 for CUDA 11.x)";

    /**
     * What nd4j-cuda-11.6 1.0.0-M2.1 loads: {@code libnd4jcuda.so} has DT_NEEDED entries for libcublas.so.11,
     * libcusolver.so.11 and libcudnn.so.8 (its CUDA runtime is linked in statically); ND4J's backend first calls
     * {@code cudaGetDeviceCount} and loads cuBLAS through JavaCPP's CUDA presets (libcudart.so.11.0, libcublasLt.so.11,
     * libcublas.so.11, all over the driver's libcuda.so.1); libcudnn.so.8 loads its convolution and operation
     * libraries when first used.
     */
    public static final List<CudaLibrary> ND4J_CUDA_11_6 = List.of(
            new CudaLibrary("libcuda.so.1", DRIVER),
            new CudaLibrary("libcudart.so.11.0", "the CUDA 11 runtime (package cuda-cudart-11-6)"),
            new CudaLibrary("libcublas.so.11", "cuBLAS 11 (package libcublas-11-6)"),
            new CudaLibrary("libcublasLt.so.11", "cuBLAS 11 (package libcublas-11-6)"),
            new CudaLibrary("libcusolver.so.11", "cuSOLVER 11 (package libcusolver-11-6)"),
            new CudaLibrary("libcudnn.so.8", CUDNN),
            new CudaLibrary("libcudnn_ops_infer.so.8", CUDNN),
            new CudaLibrary("libcudnn_ops_train.so.8", CUDNN),
            new CudaLibrary("libcudnn_cnn_infer.so.8", CUDNN),
            new CudaLibrary("libcudnn_cnn_train.so.8", CUDNN));
}
