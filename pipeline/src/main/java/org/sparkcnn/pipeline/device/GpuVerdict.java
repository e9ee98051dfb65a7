package org.sparkcnn.pipeline.device;

import java.io.Serializable;

/**
 * The outcome of {@link GpuPreflight} for one executor: a one-line description of the GPU(s) it will train on, or
 * the reason it cannot and what to do. Serializable, so a preflight task can return it to the driver, which throws.
 *
 * @param ok   whether training may use the GPU(s)
 * @param line "GPU 0: NVIDIA A100-SXM4-40GB, compute 8.0, 39.4 GiB free, needs 2.1 GiB", or the refusal
 */
public record GpuVerdict(boolean ok, String line) implements Serializable {
    static GpuVerdict usable(String line) {
        return new GpuVerdict(true, line);
    }

    static GpuVerdict refused(String line) {
        return new GpuVerdict(false, line);
    }

    /**
     * The line when usable.
     *
     * @throws GpuUnusableException with the refusal (exit 2)
     */
    public String orThrow() {
        if (!ok) {
            throw new GpuUnusableException(line);
        }
        return line;
    }
}
