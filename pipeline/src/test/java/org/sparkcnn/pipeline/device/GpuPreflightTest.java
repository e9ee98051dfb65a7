package org.sparkcnn.pipeline.device;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.error.BadInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The preflight's decisions on probes built from real nvidia-smi output. */
class GpuPreflightTest {
    private static final long GIB = 1L << 30;
    private static final long NEEDS = (long) (2.1 * GIB);
    private static final CudaArchitectures ND4J = CudaArchitectures.ND4J_CUDA_11_6_M2_1;

    /** Every library, on the loader path. */
    private static Map<CudaLibrary, CudaLibraries.Location> allLibraries() {
        Map<CudaLibrary, CudaLibraries.Location> m = new LinkedHashMap<>();
        CudaLibrary.ND4J_CUDA_11_6.forEach(l -> m.put(l, new CudaLibraries.Location("/usr/lib/x86_64-linux-gnu/"
                + l.soname(), true)));
        return m;
    }

    private static ProbeResult probe(String csv, boolean withCapability) {
        return new ProbeResult(NvidiaSmiCsv.parse(csv, withCapability), "", allLibraries());
    }

    private static Optional<GpuAssignment> task(String address) {
        return Optional.of(new GpuAssignment(address, Integer.parseInt(address), List.of(address)));
    }

    private static GpuVerdict verdict(ProbeResult probe, String address) {
        return GpuPreflight.verdict(probe, task(address), ND4J, NEEDS, null);
    }

    @Test
    void anA100WithRoomIsUsable() {
        GpuVerdict v = verdict(probe(NvidiaSmiLines.TWO_A100, true), "1");
        assertEquals(GpuVerdict.usable("GPU 1: NVIDIA A100-SXM4-40GB, compute 8.0, 39.4 GiB free, needs 2.1 GiB"), v);
        assertEquals(v.line(), v.orThrow());
    }

    @Test
    void anH200IsRefusedBecauseNd4jsBuildHasNoCodeForHopper() {
        GpuVerdict v = verdict(probe(NvidiaSmiLines.H200, true), "0");
        assertEquals(GpuVerdict.refused("GPU 0 is NVIDIA H200 (compute capability 9.0); ND4J's only CUDA build "
                + "(nd4j-cuda-11.6 1.0.0-M2.1) carries code for sm_37, sm_50, sm_52, sm_60, sm_61, sm_70, sm_75, sm_80, "
                + "sm_86 and no PTX, so it cannot run there. Use CPU executors (the default build) or GPUs of compute "
                + "capability 3.7-3.9, 5.0-8.9 (e.g. V100, T4, A100, A10, L4)"), v);
        GpuUnusableException e = assertThrows(GpuUnusableException.class, v::orThrow);
        assertInstanceOf(BadInputException.class, e);   // the CLI's exit 2
        assertEquals(v.line(), e.getMessage());
    }

    @Test
    void aT4WhoseMemoryIsTakenIsRefusedWithWhatToLower() {
        assertEquals(GpuVerdict.refused("GPU 0 (Tesla T4) has 1.2 GiB free of 15.0 GiB, but training needs about "
                        + "2.1 GiB plus 0.5 GiB for the CUDA context; lower train.batch-size-per-worker, run fewer "
                        + "workers per GPU (raise spark.task.resource.gpu.amount), or free the GPU (nvidia-smi shows "
                        + "what holds it)"), verdict(probe(NvidiaSmiLines.T4_BUSY, true), "0"));
        assertTrue(GpuPreflight.verdict(probe(NvidiaSmiLines.T4_BUSY, true), task("0"), ND4J, 600L << 20, null).ok(),
                "0.6 GiB + 0.5 GiB fit in 1.2 GiB");
    }

    @Test
    void aDriverWithoutComputeCapIsTrustedAndSaysSo() {
        assertEquals(GpuVerdict.usable("GPU 0: Tesla V100-SXM2-16GB, compute capability not reported (driver before "
                + "R510), 15.5 GiB free, needs 2.1 GiB"), verdict(probe(NvidiaSmiLines.OLD_DRIVER_V100, false), "0"));
        assertEquals(GpuVerdict.usable("GPU 0: GRID T4-16Q, compute capability not reported (driver before R510), "
                + "free memory not reported, needs 2.1 GiB"), verdict(probe(NvidiaSmiLines.NOT_SUPPORTED, true), "0"));
    }

    @Test
    void withoutADriverTheProbesWordsComeFirst() {
        ProbeResult none = new ProbeResult(List.of(), "no NVIDIA driver found (nvidia-smi not on PATH)", Map.of());
        assertEquals(GpuVerdict.refused("no NVIDIA driver found (nvidia-smi not on PATH); GPU executors need the "
                + "NVIDIA driver (R450.80.02 or newer) with nvidia-smi, or run the CPU build (built without -Pcuda)"),
                verdict(none, "0"));
    }

    @Test
    void aHostWithoutGpusOrWithoutTheTasksGpuIsRefused() {
        assertEquals(GpuVerdict.refused("nvidia-smi lists no GPU on this host; run GPU executors on hosts with NVIDIA "
                + "GPUs, or run the CPU build (built without -Pcuda)"), verdict(probe("", true), "0"));
        assertEquals(GpuVerdict.refused("Spark gave this task GPU 2, but nvidia-smi lists GPUs 0, 1 on this host; make "
                + "spark.executor.resource.gpu.discoveryScript print nvidia-smi's GPU indices"),
                verdict(probe(NvidiaSmiLines.TWO_A100, true), "2"));
    }

    @Test
    void missingLibrariesAreNamedWithTheirPackages() {
        Map<CudaLibrary, CudaLibraries.Location> some = allLibraries();
        some.keySet().removeIf(l -> l.soname().startsWith("libcudnn") || l.soname().equals("libcusolver.so.11"));
        ProbeResult p = new ProbeResult(NvidiaSmiCsv.parse(NvidiaSmiLines.TWO_A100, true), "", some);
        assertEquals(GpuVerdict.refused("this host lacks libraries ND4J's CUDA build loads: libcusolver.so.11 of "
                + "cuSOLVER 11 (package libcusolver-11-6); libcudnn.so.8, libcudnn_ops_infer.so.8, "
                + "libcudnn_ops_train.so.8, libcudnn_cnn_infer.so.8, libcudnn_cnn_train.so.8 of cuDNN 8 (package "
                + "libcudnn8, cuDNN 8.3 for CUDA 11.x). Install CUDA 11.6 and cuDNN 8.3 for CUDA 11.x on the executors "
                + "(or put org.bytedeco:cuda:11.6-8.3-1.5.7:linux-x86_64-redist on their classpath), or run the CPU "
                + "build"), verdict(p, "0"));
    }

    @Test
    void aLibraryTheLoaderDoesNotSearchNamesItsDirectory() {
        Map<CudaLibrary, CudaLibraries.Location> libs = allLibraries();
        libs.replaceAll((l, at) -> l.soname().equals("libcusolver.so.11")
                ? new CudaLibraries.Location("/usr/local/cuda-11.8/lib64/libcusolver.so.11", false) : at);
        ProbeResult p = new ProbeResult(NvidiaSmiCsv.parse(NvidiaSmiLines.TWO_A100, true), "", libs);
        assertEquals(GpuVerdict.refused("libcusolver.so.11 is in /usr/local/cuda-11.8/lib64, where the dynamic loader "
                + "does not look; add that directory to LD_LIBRARY_PATH on the executors "
                + "(spark.executorEnv.LD_LIBRARY_PATH)"), verdict(p, "0"));
    }

    @Test
    void underALocalMasterEveryGpuCudaSeesIsChecked() {
        ProbeResult mixed = probe("0, NVIDIA H200, 9.0, 143771, 143252\n1, NVIDIA A100-SXM4-40GB, 8.0, 40960, 40337\n",
                true);
        assertFalse(GpuPreflight.verdict(mixed, Optional.empty(), ND4J, NEEDS, null).ok());
        assertEquals(GpuVerdict.usable("GPU 1: NVIDIA A100-SXM4-40GB, compute 8.0, 39.4 GiB free, needs 2.1 GiB"),
                GpuPreflight.verdict(mixed, Optional.empty(), ND4J, NEEDS, "1"));
        assertEquals(GpuVerdict.usable("GPU 0: NVIDIA A100-SXM4-40GB, compute 8.0, 39.4 GiB free, needs 2.1 GiB; "
                + "GPU 1: NVIDIA A100-SXM4-40GB, compute 8.0, 39.4 GiB free, needs 2.1 GiB"),
                GpuPreflight.verdict(probe(NvidiaSmiLines.TWO_A100, true), Optional.empty(), ND4J, NEEDS, null));
        assertEquals(GpuVerdict.refused("CUDA_VISIBLE_DEVICES='7' names none of the GPUs nvidia-smi lists here (0, 1), "
                + "so CUDA sees none; list their indices in it or unset it"),
                GpuPreflight.verdict(mixed, Optional.empty(), ND4J, NEEDS, "7"));
    }

    @Test
    void theCpuBuildHasNothingToCheck() {
        assertEquals(Optional.empty(), GpuPreflight.inTask(NEEDS));
    }
}
