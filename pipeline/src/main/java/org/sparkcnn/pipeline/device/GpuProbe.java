package org.sparkcnn.pipeline.device;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Finds an executor host's GPUs (index, name, compute capability, total and free memory) and CUDA libraries
 * without initialising ND4J's CUDA backend, which fails in native code on a GPU its kernels do not cover. The GPUs
 * come from {@code nvidia-smi --query-gpu=index,name,compute_cap,memory.total,memory.free
 * --format=csv,noheader,nounits}; a driver older than R510, which rejects {@code compute_cap}, is asked again
 * without it (capability unknown). nvidia-smi runs with a 30 s limit and at most 64 KiB of output.
 */
public final class GpuProbe {
    public static final String NVIDIA_SMI = "nvidia-smi";
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_OUTPUT = 64 << 10;

    private final String nvidiaSmi;
    private final String searchPath;
    private final CudaLibraries libraries;
    private final Duration timeout;

    /** nvidia-smi from this process's {@code PATH}; this host's libraries. */
    public GpuProbe() {
        this(NVIDIA_SMI, System.getenv("PATH"), CudaLibraries.onThisHost());
    }

    /**
     * @param nvidiaSmi  the command: a name looked up on {@code searchPath}, or a path
     * @param searchPath directories separated by ':' (a {@code PATH} value)
     * @param libraries  where to look for the CUDA libraries
     */
    public GpuProbe(String nvidiaSmi, String searchPath, CudaLibraries libraries) {
        this(nvidiaSmi, searchPath, libraries, TIMEOUT);
    }

    GpuProbe(String nvidiaSmi, String searchPath, CudaLibraries libraries, Duration timeout) {
        this.nvidiaSmi = nvidiaSmi;
        this.searchPath = searchPath;
        this.libraries = libraries;
        this.timeout = timeout;
    }

    public ProbeResult probe() {
        List<GpuInfo> gpus = List.of();
        String problem = "";
        Optional<Path> command = HostCommand.resolve(nvidiaSmi, searchPath);
        if (command.isEmpty()) {
            problem = nvidiaSmi.contains("/") ? "no NVIDIA driver found (" + nvidiaSmi + " is not an executable file)"
                    : "no NVIDIA driver found (" + nvidiaSmi + " not on PATH)";
        } else {
            try {
                gpus = query(command.get());
            } catch (ProbeFailure e) {
                problem = e.getMessage();
            }
        }
        return new ProbeResult(gpus, problem, libraries.find(CudaLibrary.ND4J_CUDA_11_6));
    }

    private List<GpuInfo> query(Path command) throws ProbeFailure {
        HostCommand.Output out = run(command, NvidiaSmiCsv.FIELDS);
        boolean withCapability = true;
        if (out.exitCode() != 0 && out.text().contains("compute_cap")) {   // 'Field "compute_cap" is not a valid ...'
            out = run(command, NvidiaSmiCsv.FIELDS_WITHOUT_CAPABILITY);
            withCapability = false;
        }
        if (out.timedOut()) {
            throw new ProbeFailure(command + " did not answer within " + timeout.toSeconds() + " s (a hung driver?)");
        }
        if (out.text().contains("No devices were found")) {
            return List.of();
        }
        if (out.exitCode() != 0) {
            throw new ProbeFailure(command + " failed (exit " + out.exitCode() + "): " + firstLines(out.text()));
        }
        if (out.truncated()) {
            throw new ProbeFailure(command + " printed more than " + (MAX_OUTPUT >> 10) + " KiB: not a GPU list");
        }
        try {
            return NvidiaSmiCsv.parse(out.text(), withCapability);
        } catch (IllegalArgumentException e) {
            throw new ProbeFailure(command + " printed something this probe cannot read: " + e.getMessage());
        }
    }

    private HostCommand.Output run(Path command, String fields) throws ProbeFailure {
        try {
            return HostCommand.run(List.of(command.toString(), "--query-gpu=" + fields, "--format=csv,noheader,nounits"),
                    timeout, MAX_OUTPUT);
        } catch (IOException e) {
            throw new ProbeFailure("cannot run " + command + ": " + e.getMessage());
        }
    }

    /** Up to three lines, at most 300 characters: enough for nvidia-smi's error, not a flood. */
    private static String firstLines(String text) {
        String lines = String.join(" / ", text.strip().lines().limit(3).toList());
        return lines.isEmpty() ? "(no output)" : lines.length() > 300 ? lines.substring(0, 300) + "..." : lines;
    }

    /** Why nvidia-smi gave no GPU list; becomes {@link ProbeResult#driverProblem}. */
    private static final class ProbeFailure extends Exception {
        ProbeFailure(String message) {
            super(message);
        }
    }
}
