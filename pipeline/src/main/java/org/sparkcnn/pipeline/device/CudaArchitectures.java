package org.sparkcnn.pipeline.device;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What GPUs a CUDA library's device code can run on: the {@code sm_XY} numbers of the compiled kernels (cubins) and
 * of the PTX its fatbins carry, as {@link CudaFatbin} reads them. A cubin for {@code sm_XY} runs on GPUs of compute
 * capability X.Y up to X.9 (same major, equal or higher minor); PTX for {@code compute_XY} runs on any GPU of X.Y or
 * higher, compiled by the driver when loaded. A GPU that neither covers cannot run the library's kernels.
 *
 * @param cubin   the architectures of the compiled kernels, e.g. 86 for {@code sm_86}
 * @param ptx     the architectures of the embedded PTX (empty when there is none)
 * @param fatbins how many fatbin containers the library holds (one per compiled source file, roughly)
 * @param source  where these came from: the file read, or the release they were recorded from
 */
public record CudaArchitectures(SortedSet<Integer> cubin, SortedSet<Integer> ptx, int fatbins, String source) {

    /**
     * {@code libnd4jcuda.so} of {@code org.nd4j:nd4j-cuda-11.6:1.0.0-M2.1:linux-x86_64-cudnn} (the only CUDA build of
     * ND4J on Maven Central; jar SHA-1 0814b72b6d955dc6d15053d469f7d95f4f3e2dc5, library 905,685,968 bytes),
     * read with {@link CudaFatbin}: 239 fatbins, each with cubins for exactly these nine architectures and no PTX.
     * Decompressing all 2,151 cubins gave ELF files whose {@code e_flags} name the same architectures. So it runs on
     * compute capability 3.7-3.9 and 5.0-8.9 (K80, Maxwell, Pascal, Volta, Turing, Ampere, Ada) and not on 9.0
     * (Hopper: H100, H200) or newer. {@code CudaFatbinTest} re-reads the real file when given its path.
     */
    public static final CudaArchitectures ND4J_CUDA_11_6_M2_1 = new CudaArchitectures(
            new TreeSet<>(List.of(37, 50, 52, 60, 61, 70, 75, 80, 86)), new TreeSet<>(), 239,
            "nd4j-cuda-11.6 1.0.0-M2.1");

    /** GPUs to name as examples in messages, by compute capability (data-centre parts people rent). */
    private static final Map<String, ComputeCapability> EXAMPLES = examples();

    /** The highest capability {@link #runnableRange} looks at (99.9); code that runs there is "and newer". */
    private static final int LAST_SM = 999;

    public CudaArchitectures {
        cubin = Collections.unmodifiableSortedSet(new TreeSet<>(cubin));
        ptx = Collections.unmodifiableSortedSet(new TreeSet<>(ptx));
    }

    /** Whether a GPU of capability {@code gpu} can run this code: a cubin of its major at or below its minor, or PTX. */
    public boolean runsOn(ComputeCapability gpu) {
        for (int sm : cubin) {
            if (sm / 10 == gpu.major() && sm % 10 <= gpu.minor()) {
                return true;
            }
        }
        return !ptx.isEmpty() && ptx.first() <= gpu.sm();
    }

    /** E.g. "sm_37, sm_50, sm_86 and no PTX", or "sm_86 and PTX for compute_80". */
    public String describe() {
        String code = cubin.isEmpty() ? "no cubin" : sms("sm_", cubin);
        return code + (ptx.isEmpty() ? " and no PTX" : " and PTX for " + sms("compute_", ptx));
    }

    /**
     * The compute capabilities that can run this code, as ranges: "3.7-3.9, 5.0-8.9" for ND4J's build, "8.0 and
     * newer" when PTX for compute_80 is present, "none" for a library without device code.
     */
    public String runnableRange() {
        List<String> ranges = new ArrayList<>();
        int start = -1;
        for (int sm = 10; sm <= LAST_SM; sm++) {   // every integer from 10 is an sm_XY number (minor 0-9)
            boolean runs = runsOn(ComputeCapability.ofSm(sm));
            if (runs && start < 0) {
                start = sm;
            }
            if (start >= 0 && (!runs || sm == LAST_SM)) {
                ranges.add(ComputeCapability.ofSm(start) + (runs ? " and newer" : "-" + ComputeCapability.ofSm(sm - 1)));
                start = -1;
            }
        }
        return ranges.isEmpty() ? "none" : String.join(", ", ranges);
    }

    /** Data-centre GPUs of compute capability 7.0 or newer that can run this code, e.g. "V100, T4, A100, A10, L4". */
    public String exampleGpus() {
        return EXAMPLES.entrySet().stream().filter(e -> runsOn(e.getValue())).map(Map.Entry::getKey)
                .collect(Collectors.joining(", "));
    }

    private static String sms(String prefix, Set<Integer> archs) {
        return archs.stream().map(a -> prefix + a).collect(Collectors.joining(", "));
    }

    private static Map<String, ComputeCapability> examples() {
        Map<String, ComputeCapability> m = new LinkedHashMap<>();
        m.put("V100", new ComputeCapability(7, 0));
        m.put("T4", new ComputeCapability(7, 5));
        m.put("A100", new ComputeCapability(8, 0));
        m.put("A10", new ComputeCapability(8, 6));
        m.put("L4", new ComputeCapability(8, 9));
        m.put("H100", new ComputeCapability(9, 0));
        m.put("B200", new ComputeCapability(10, 0));
        return Collections.unmodifiableMap(m);
    }
}
