package org.sparkcnn.pipeline.device;

import org.apache.spark.SparkEnv;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides, on an executor and before ND4J loads there, whether training can use its GPU: the driver answers, the
 * GPU Spark gave the task is one nvidia-smi lists, ND4J's CUDA code covers its compute capability, the CUDA and
 * cuDNN libraries are where the loader finds them, and its free memory holds what training needs plus
 * {@link #CONTEXT_RESERVE}. The first check that fails is the verdict, worded as what is wrong and what to change.
 * Under a local master (no GPU per task) every GPU CUDA can see is checked, since ND4J spreads threads over them.
 */
public final class GpuPreflight {
    /**
     * Device memory the CUDA context, cuBLAS and cuDNN take before ND4J allocates anything (a few hundred MiB,
     * depending on the GPU and the libraries): an estimate, added to what training needs.
     */
    public static final long CONTEXT_RESERVE = 512L << 20;

    private GpuPreflight() {}

    /**
     * In a Spark task on an executor, before anything loads ND4J in its JVM: the verdict for this task's GPU (or,
     * under a local master, every GPU CUDA sees) with {@code bytesNeeded} of device memory on each, prefixed with the
     * executor and host; empty on the CPU build (nothing to check, nothing run). {@code bytesNeeded} is what one
     * GPU must hold: a worker's parameters, updater state and minibatch activations, times the workers sharing the
     * GPU ({@code 1 / spark.task.resource.gpu.amount}; under a local master, the workers divided among the GPUs).
     */
    public static Optional<GpuVerdict> inTask(long bytesNeeded) {
        if (!CudaBackend.selected()) {
            return Optional.empty();
        }
        String where = "executor " + (SparkEnv.get() == null ? "?" : SparkEnv.get().executorId()) + " on "
                + hostName() + ": ";
        GpuVerdict verdict;
        try {
            verdict = verdict(new GpuProbe().probe(), GpuAssignment.ofTask(), Nd4jCudaCode.architectures(),
                    bytesNeeded, System.getenv(GpuAssignment.CUDA_VISIBLE_DEVICES));
        } catch (GpuUnusableException e) {
            verdict = GpuVerdict.refused(e.getMessage());
        }
        return Optional.of(new GpuVerdict(verdict.ok(), where + verdict.line()));
    }

    /**
     * The verdict for {@code gpu} (empty: every GPU in {@code cudaVisibleDevices}, or all when null) as
     * {@code probe} found it, for code of {@code code}'s architectures needing {@code bytesNeeded} on each GPU.
     */
    public static GpuVerdict verdict(ProbeResult probe, Optional<GpuAssignment> gpu, CudaArchitectures code,
                                     long bytesNeeded, String cudaVisibleDevices) {
        if (!probe.driverProblem().isEmpty()) {
            return GpuVerdict.refused(probe.driverProblem() + "; GPU executors need the NVIDIA driver (R450.80.02 or "
                    + "newer) with nvidia-smi, or run the CPU build (built without -Pcuda)");
        }
        List<GpuInfo> targets;
        try {
            targets = targets(probe.gpus(), gpu, cudaVisibleDevices);
        } catch (GpuUnusableException e) {
            return GpuVerdict.refused(e.getMessage());
        }
        for (GpuInfo g : targets) {
            if (g.computeCapability() != null && !code.runsOn(g.computeCapability())) {
                return GpuVerdict.refused(String.format(Locale.ROOT, "GPU %d is %s (compute capability %s); ND4J's "
                                + "only CUDA build (%s) carries code for %s, so it cannot run there. Use CPU executors "
                                + "(the default build) or GPUs of compute capability %s (e.g. %s)", g.index(), g.name(),
                        g.computeCapability(), code.source(), code.describe(), code.runnableRange(),
                        code.exampleGpus()));
            }
        }
        Optional<String> libraries = libraryProblem(probe);
        if (libraries.isPresent()) {
            return GpuVerdict.refused(libraries.get());
        }
        List<String> lines = new ArrayList<>();
        for (GpuInfo g : targets) {
            if (g.freeBytes() >= 0 && bytesNeeded + CONTEXT_RESERVE > g.freeBytes()) {
                return GpuVerdict.refused(String.format(Locale.ROOT, "GPU %d (%s) has %s free of %s, but training "
                                + "needs about %s plus %s for the CUDA context; lower train.batch-size-per-worker, run "
                                + "fewer workers per GPU (raise spark.task.resource.gpu.amount), or free the GPU "
                                + "(nvidia-smi shows what holds it)", g.index(), g.name(), gib(g.freeBytes()),
                        gib(g.totalBytes()), gib(bytesNeeded), gib(CONTEXT_RESERVE)));
            }
            lines.add(describe(g, bytesNeeded));
        }
        return GpuVerdict.usable(String.join("; ", lines));
    }

    /** The GPU(s) to check: the task's, or every GPU CUDA can see. */
    private static List<GpuInfo> targets(List<GpuInfo> gpus, Optional<GpuAssignment> gpu, String cudaVisibleDevices) {
        String listed = gpus.stream().map(g -> Integer.toString(g.index())).collect(Collectors.joining(", "));
        if (gpus.isEmpty()) {
            throw new GpuUnusableException("nvidia-smi lists no GPU on this host; run GPU executors on hosts with "
                    + "NVIDIA GPUs, or run the CPU build (built without -Pcuda)");
        }
        Map<String, GpuInfo> byIndex = new LinkedHashMap<>();
        gpus.forEach(g -> byIndex.put(Integer.toString(g.index()), g));
        if (gpu.isPresent()) {
            GpuInfo g = byIndex.get(gpu.get().address());
            if (g == null) {
                throw new GpuUnusableException("Spark gave this task GPU " + gpu.get().address() + ", but nvidia-smi "
                        + "lists GPUs " + listed + " on this host; make spark.executor.resource.gpu.discoveryScript "
                        + "print nvidia-smi's GPU indices");
            }
            return List.of(g);
        }
        if (cudaVisibleDevices == null) {
            return gpus;
        }
        List<GpuInfo> visible = Arrays.stream(cudaVisibleDevices.split(",", -1)).map(String::trim)
                .map(byIndex::get).filter(g -> g != null).toList();
        if (visible.isEmpty()) {
            throw new GpuUnusableException("CUDA_VISIBLE_DEVICES='" + cudaVisibleDevices + "' names none of the GPUs "
                    + "nvidia-smi lists here (" + listed + "), so CUDA sees none; list their indices in it or unset it");
        }
        return visible;
    }

    private static Optional<String> libraryProblem(ProbeResult probe) {
        List<CudaLibrary> missing = probe.missing();
        if (!missing.isEmpty()) {
            Map<String, List<String>> byComponent = new LinkedHashMap<>();
            missing.forEach(l -> byComponent.computeIfAbsent(l.component(), c -> new ArrayList<>()).add(l.soname()));
            String what = byComponent.entrySet().stream().map(e -> String.join(", ", e.getValue()) + " of "
                    + e.getKey()).collect(Collectors.joining("; "));
            return Optional.of("this host lacks libraries ND4J's CUDA build loads: " + what + ". Install CUDA 11.6 "
                    + "and cuDNN 8.3 for CUDA 11.x on the executors (or put "
                    + "org.bytedeco:cuda:11.6-8.3-1.5.7:linux-x86_64-redist on their classpath), or run the CPU build");
        }
        List<String> offPath = probe.libraries().entrySet().stream().filter(e -> !e.getValue().onLoaderPath())
                .map(e -> e.getKey().soname() + " is in " + parent(e.getValue().where()))
                .sorted().toList();
        if (!offPath.isEmpty()) {
            return Optional.of(String.join(", ", offPath) + ", where the dynamic loader does not look; add "
                    + (offPath.size() == 1 ? "that directory" : "those directories") + " to LD_LIBRARY_PATH on the "
                    + "executors (spark.executorEnv.LD_LIBRARY_PATH)");
        }
        return Optional.empty();
    }

    private static String describe(GpuInfo g, long bytesNeeded) {
        String capability = g.computeCapability() == null
                ? "compute capability not reported (driver before R510)" : "compute " + g.computeCapability();
        String memory = g.freeBytes() < 0 ? "free memory not reported" : gib(g.freeBytes()) + " free";
        return String.format(Locale.ROOT, "GPU %d: %s, %s, %s, needs %s", g.index(), g.name(), capability, memory,
                gib(bytesNeeded));
    }

    private static String parent(String file) {
        int slash = file.lastIndexOf('/');
        return slash > 0 ? file.substring(0, slash) : file;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "?";
        }
    }
}
