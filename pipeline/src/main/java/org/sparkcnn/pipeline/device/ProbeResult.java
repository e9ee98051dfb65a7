package org.sparkcnn.pipeline.device;

import java.util.List;
import java.util.Map;

/**
 * What {@link GpuProbe} found on an executor's host.
 *
 * @param gpus          the GPUs nvidia-smi lists (empty when it lists none or could not run)
 * @param driverProblem why nvidia-smi gave no usable answer, e.g. "no NVIDIA driver found (nvidia-smi not on PATH)";
 *                      empty when it answered
 * @param libraries     where each library of {@link CudaLibrary#ND4J_CUDA_11_6} is; a missing one has no entry
 */
public record ProbeResult(List<GpuInfo> gpus, String driverProblem, Map<CudaLibrary, CudaLibraries.Location> libraries) {
    public ProbeResult {
        gpus = List.copyOf(gpus);
        libraries = Map.copyOf(libraries);
    }

    /** The libraries of {@link CudaLibrary#ND4J_CUDA_11_6} that were not found anywhere. */
    public List<CudaLibrary> missing() {
        return CudaLibrary.ND4J_CUDA_11_6.stream().filter(l -> !libraries.containsKey(l)).toList();
    }
}
