package org.sparkcnn.pipeline.train.averaging;

import org.sparkcnn.pipeline.model.Network;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The worker networks an executor JVM keeps between averaging rounds, so a round costs a parameter copy, not a
 * network build (JSON parse, layer creation, random initialisation): idle networks of one structure, handed to
 * one task at a time. A round with another structure (a new learning rate, another run) empties the pool, and so
 * does the trainer's close in the driver's JVM (local mode); other executors hold theirs until the next run. Under
 * ND4J's CUDA backend a network lives on the GPU its task was bound to, so idle networks are kept per device and
 * handed only to tasks bound to the same one. A barrier task's exchange buffers (its two report states and its
 * running sum, each the size of the network's parameters and updater state: 283 MB for ResNet-50) stay with the
 * network, so an epoch's rounds do not allocate and first-touch them afresh; a failed task's are dropped with its
 * network.
 */
final class WorkerNetworkPool {
    private static String structureKey;
    /** Idle networks by CUDA device ordinal ({@link #NO_DEVICE} on the CPU, or where ND4J places threads itself). */
    private static final Map<Integer, Deque<PooledWorker>> IDLE = new HashMap<>();
    static final int NO_DEVICE = -1;

    /** A worker network and the exchange buffers a barrier task keeps with it (null until first used). */
    static final class PooledWorker {
        final Network network;
        /** Round r's report state goes into {@code reports[r % 2]} (see {@code BarrierRoundsTask}). */
        final NetworkState[] reports = new NetworkState[2];
        NetworkState accumulator;

        private PooledWorker(Network network) {
            this.network = network;
        }
    }

    private WorkerNetworkPool() {}

    /** An idle network of the round's structure on {@code device}, or a new one built from its JSON. */
    static PooledWorker borrow(RoundModel round, int device) {
        synchronized (IDLE) {
            if (!round.structureKey().equals(structureKey)) {
                IDLE.clear();
                structureKey = round.structureKey();
            }
            PooledWorker idle = IDLE.computeIfAbsent(device, d -> new ArrayDeque<>()).poll();
            if (idle != null) {
                return idle;
            }
        }
        return new PooledWorker(Network.fromStructureJson(round.structureJson(), round.graph()));
    }

    /** Back to the pool after a successful task (a failed task's network is dropped). */
    static void giveBack(RoundModel round, int device, PooledWorker network) {
        synchronized (IDLE) {
            if (round.structureKey().equals(structureKey)) {
                IDLE.computeIfAbsent(device, d -> new ArrayDeque<>()).push(network);
            }
        }
    }

    /** Drops the idle networks of {@code structurePrefix} (a run's trainer closing, in this JVM). */
    static void release(String structurePrefix) {
        synchronized (IDLE) {
            if (structureKey != null && structureKey.startsWith(structurePrefix)) {
                IDLE.clear();
                structureKey = null;
            }
        }
    }

    /** Idle networks now held (tests). */
    static int idle() {
        synchronized (IDLE) {
            return IDLE.values().stream().mapToInt(Deque::size).sum();
        }
    }
}
