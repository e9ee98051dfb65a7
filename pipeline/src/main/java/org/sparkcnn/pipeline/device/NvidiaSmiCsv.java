package org.sparkcnn.pipeline.device;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the output of {@code nvidia-smi --query-gpu=<fields> --format=csv,noheader,nounits}: one line per GPU,
 * fields separated by ", ", memory in MiB. A field the driver cannot report reads "[Not Supported]", "[N/A]" or
 * "[Unknown Error]": it becomes unknown (null capability, -1 bytes) rather than an error. Anything else that is not
 * the expected shape fails, naming the line and the field.
 */
final class NvidiaSmiCsv {
    /** With the compute capability (drivers R510 and newer). */
    static final String FIELDS = "index,name,compute_cap,memory.total,memory.free";
    /** Without it, for drivers that reject {@code compute_cap} as an unknown field. */
    static final String FIELDS_WITHOUT_CAPABILITY = "index,name,memory.total,memory.free";

    /** Enough for every GPU a host can hold; more lines are not nvidia-smi's output. */
    private static final int MAX_GPUS = 256;
    /** 16 TiB in MiB: no GPU has more, so a larger figure is not a memory size. */
    private static final long MAX_MIB = 1L << 24;

    private NvidiaSmiCsv() {}

    /**
     * The GPUs in {@code output}, queried with {@link #FIELDS} when {@code withCapability}, else
     * {@link #FIELDS_WITHOUT_CAPABILITY}.
     *
     * @throws IllegalArgumentException naming the line and field that does not parse
     */
    static List<GpuInfo> parse(String output, boolean withCapability) {
        int expected = withCapability ? 5 : 4;
        List<GpuInfo> gpus = new ArrayList<>();
        for (String line : output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            if (gpus.size() == MAX_GPUS) {
                throw new IllegalArgumentException("nvidia-smi printed more than " + MAX_GPUS + " lines");
            }
            List<String> fields = Arrays.stream(line.split(",", -1)).map(String::strip).toList();
            if (fields.size() < expected) {
                throw new IllegalArgumentException("nvidia-smi line '" + line + "' has " + fields.size()
                        + " fields, not the " + expected + " asked for (" + (withCapability ? FIELDS
                        : FIELDS_WITHOUT_CAPABILITY) + ")");
            }
            int last = fields.size() - 1;   // a name holding commas spans several fields: everything between
            int nameEnd = last - (withCapability ? 2 : 1);
            String name = String.join(", ", fields.subList(1, nameEnd));
            ComputeCapability capability = null;
            if (withCapability && !unknown(fields.get(nameEnd))) {
                try {
                    capability = ComputeCapability.parse(fields.get(nameEnd));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("nvidia-smi line '" + line + "': compute_cap " + e.getMessage());
                }
            }
            gpus.add(new GpuInfo(index(fields.get(0), line), name, capability, mib(fields.get(last - 1), "memory.total",
                    line), mib(fields.get(last), "memory.free", line)));
        }
        return gpus;
    }

    private static boolean unknown(String field) {
        return field.startsWith("[") || field.equalsIgnoreCase("N/A");
    }

    private static int index(String field, String line) {
        if (field.isEmpty() || field.length() > 4 || !field.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("nvidia-smi line '" + line + "': index '" + field
                    + "' is not a GPU number");
        }
        return Integer.parseInt(field);
    }

    private static long mib(String field, String what, String line) {
        if (unknown(field)) {
            return -1;
        }
        if (field.isEmpty() || field.length() > 9 || !field.chars().allMatch(c -> c >= '0' && c <= '9')
                || Long.parseLong(field) > MAX_MIB) {
            throw new IllegalArgumentException("nvidia-smi line '" + line + "': " + what + " '" + field
                    + "' is not a size in MiB");
        }
        return Long.parseLong(field) << 20;
    }
}
