package org.sparkcnn.pipeline.spark;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Spark master string says about executors inside the driver's JVM: {@code local}, {@code local[N]},
 * {@code local[*]} and {@code local[N, F]} run their tasks as threads of the driver; {@code local-cluster[...]} and
 * cluster masters do not.
 */
public final class LocalMaster {
    private static final Pattern THREADS = Pattern.compile("local\\[\\s*(\\*|\\d+)\\s*(,\\s*\\d+\\s*)?]");

    private LocalMaster() {}

    /** True when the master runs its tasks as threads of the driver's JVM. */
    public static boolean inDriverJvm(String master) {
        return master.equals("local") || THREADS.matcher(master).matches();
    }

    /** Task threads of an in-driver master ({@code local[*]}: this machine's processors); empty for other masters. */
    public static OptionalInt threads(String master) {
        if (master.equals("local")) {
            return OptionalInt.of(1);
        }
        Matcher m = THREADS.matcher(master);
        if (!m.matches()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
                : Integer.parseInt(m.group(1)));
    }
}
