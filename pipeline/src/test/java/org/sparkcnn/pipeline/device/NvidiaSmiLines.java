package org.sparkcnn.pipeline.device;

/**
 * Output of {@code nvidia-smi --query-gpu=index,name,compute_cap,memory.total,memory.free
 * --format=csv,noheader,nounits} (and, for the old driver, of the same query without compute_cap) in the shape real
 * drivers print it: fields joined by ", ", memory in MiB, one line per GPU.
 */
final class NvidiaSmiLines {
    /** An H200 (driver 550): Hopper, compute 9.0, 141 GB of HBM3e. */
    static final String H200 = "0, NVIDIA H200, 9.0, 143771, 143252\n";
    /** Two A100s of 40 GB (driver 535). */
    static final String TWO_A100 = "0, NVIDIA A100-SXM4-40GB, 8.0, 40960, 40337\n"
            + "1, NVIDIA A100-SXM4-40GB, 8.0, 40960, 40337\n";
    /** A T4 (driver 525) with most of its memory held by another process. */
    static final String T4_BUSY = "0, Tesla T4, 7.5, 15360, 1210\n";
    /** What a driver before R510 (here 470) prints for the query with compute_cap, exit status 2. */
    static final String OLD_DRIVER_ERROR = "Field \"compute_cap\" is not a valid field to query.\n\n";
    /** The same driver's answer without compute_cap: a V100. */
    static final String OLD_DRIVER_V100 = "0, Tesla V100-SXM2-16GB, 16160, 15862\n";
    /** A driver that knows the field but cannot report it for this board, nor its free memory. */
    static final String NOT_SUPPORTED = "0, GRID T4-16Q, [Not Supported], 16384, [N/A]\n";
    /** nvidia-smi with the driver not loaded (exit status 9). */
    static final String NO_DRIVER = "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. "
            + "Make sure that the latest NVIDIA driver is installed and running.\n\n";
    /** nvidia-smi on a host without GPUs (exit status 6). */
    static final String NO_DEVICES = "No devices were found\n";

    private NvidiaSmiLines() {}
}
