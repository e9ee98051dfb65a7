package org.sparkcnn.pipeline.device;

import java.io.Serializable;

/**
 * One GPU as nvidia-smi lists it.
 *
 * @param index             nvidia-smi's index (what Spark's GPU discovery script reports as the address)
 * @param name              its product name, e.g. "NVIDIA A100-SXM4-40GB"
 * @param computeCapability null when the driver does not report it (drivers before R510 have no {@code compute_cap})
 * @param totalBytes        its memory; -1 when not reported
 * @param freeBytes         its memory not in use; -1 when not reported
 */
public record GpuInfo(int index, String name, ComputeCapability computeCapability, long totalBytes, long freeBytes)
        implements Serializable {
}
