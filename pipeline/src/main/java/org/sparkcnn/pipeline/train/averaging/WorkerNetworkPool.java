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
 * handed only to tasks bound to the same one.
 */
final class WorkerNetworkPool {
    private static String structureKey;
    /** Idle networks by CUDA device ordinal ({@link #NO_DEVICE} on the CPU, or where ND4J places threads itself). */
    private static final Map<Integer, Deque<Network>> IDLE = new HashMap<>();
    static final int NO_DEVICE = -1;

    private WorkerNetworkPool() {}

    /** An idle network of the round's structure on {@code device}, or a new one built from its JSON. */
    static Network borrow(RoundModel round, int device) {
        synchronized (IDLE) {
            if (!round.structureKey().equals(structureKey)) {
                IDLE.clear();
                structureKey = round.structureKey();
            }
            Network idle = IDLE.computeIfAbsent(device, d -> new ArrayDeque<>()).poll();
            if (idle != null) {
                return idle;
            }
        }
        return Network.fromStructureJson(round.structureJson(), round.graph());
    }

    /** Back to the pool after a successful task (a failed task's network is dropped). */
    static void giveBack(RoundModel round, int device, Network network) {
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
