package org.sparkcnn.pipeline.train.averaging;

import org.sparkcnn.pipeline.model.Network;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The worker networks an executor JVM keeps between averaging rounds, so a round costs a parameter copy, not a
 * network build (JSON parse, layer creation, random initialisation): idle networks of one structure, handed to
 * one task at a time. A round with another structure (a new learning rate, another run) empties the pool, and so
 * does the trainer's close in the driver's JVM (local mode); other executors hold theirs until the next run.
 */
final class WorkerNetworkPool {
    private static String structureKey;
    private static final Deque<Network> IDLE = new ArrayDeque<>();

    private WorkerNetworkPool() {}

    /** An idle network of the round's structure, or a new one built from its JSON. */
    static Network borrow(RoundModel round) {
        synchronized (IDLE) {
            if (!round.structureKey().equals(structureKey)) {
                IDLE.clear();
                structureKey = round.structureKey();
            }
            Network idle = IDLE.poll();
            if (idle != null) {
                return idle;
            }
        }
        return Network.fromStructureJson(round.structureJson(), round.graph());
    }

    /** Back to the pool after a successful task (a failed task's network is dropped). */
    static void giveBack(RoundModel round, Network network) {
        synchronized (IDLE) {
            if (round.structureKey().equals(structureKey)) {
                IDLE.push(network);
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
            return IDLE.size();
        }
    }
}
