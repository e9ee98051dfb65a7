package org.sparkcnn.pipeline.train.averaging;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A barrier job's final network state handed from worker 0 to the driver as an object, where both are this JVM (a
 * local master). Returned as a task result it would be serialised, stored in the block manager (Spark sends results
 * over 1 MiB that way) and, past {@code spark.network.maxRemoteBlockSizeFetchToMem} (200 MiB: ResNet-50's state is
 * 283 MB), fetched through the loopback into a temporary file and read back: 6 to 10 seconds at the end of every
 * epoch of a 48-second ResNet-50 epoch on two cores, with both task threads idle. Keys start with the run's prefix;
 * the driver takes its job's state and drops whatever else of the run is left (a failed attempt's), and the trainer
 * drops the rest when it closes.
 */
public final class InJvmHandOff {
    private static final Map<String, NetworkState> HANDED = new ConcurrentHashMap<>();

    private InJvmHandOff() {}

    static void put(String key, NetworkState state) {
        HANDED.put(key, state);
    }

    /** The state handed over under {@code key}; fails when it is not in this JVM. */
    static NetworkState take(String key) {
        NetworkState state = HANDED.remove(key);
        if (state == null) {
            throw new IllegalStateException("no network state was handed over in this JVM under '" + key
                    + "': an in-JVM hand-off needs the executors in the driver's JVM (a local master)");
        }
        return state;
    }

    /** Drops every state under keys starting with {@code prefix}. */
    static void clear(String prefix) {
        HANDED.keySet().removeIf(k -> k.startsWith(prefix));
    }

    /** States now held (tests). */
    public static int held() {
        return HANDED.size();
    }
}
