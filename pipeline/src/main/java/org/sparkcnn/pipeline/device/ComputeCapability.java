package org.sparkcnn.pipeline.device;

import java.util.Locale;

/**
 * A GPU's CUDA compute capability, {@code major.minor} (9.0 for an H100 or H200, 8.0 for an A100, 7.5 for a T4), and
 * its {@code sm_XY} number as CUDA's compilers and fatbins spell it ({@code 10 * major + minor}).
 */
public record ComputeCapability(int major, int minor) {
    public ComputeCapability {
        if (major < 1 || major > 99 || minor < 0 || minor > 9) {
            throw new IllegalArgumentException("not a compute capability: " + major + "." + minor);
        }
    }

    /** The capability of an {@code sm_XY} number, e.g. 86 for 8.6 and 100 for 10.0. */
    public static ComputeCapability ofSm(int sm) {
        return new ComputeCapability(sm / 10, sm % 10);
    }

    /**
     * Parses {@code major.minor} as nvidia-smi's {@code compute_cap} prints it ("9.0", "8.6").
     *
     * @throws IllegalArgumentException naming the text when it is anything else
     */
    public static ComputeCapability parse(String text) {
        String t = text.trim();
        int dot = t.indexOf('.');
        if (dot < 1 || dot > 2 || dot != t.length() - 2
                || !t.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            throw new IllegalArgumentException("'" + text + "' is not a compute capability (major.minor, e.g. 8.6)");
        }
        return new ComputeCapability(Integer.parseInt(t.substring(0, dot)), Integer.parseInt(t.substring(dot + 1)));
    }

    /** The {@code sm_XY} number: 90 for 9.0. */
    public int sm() {
        return major * 10 + minor;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d.%d", major, minor);
    }
}
