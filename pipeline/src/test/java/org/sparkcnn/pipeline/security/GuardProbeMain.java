package org.sparkcnn.pipeline.security;

import org.sparkcnn.pipeline.error.BadInputException;

import java.util.LinkedList;
import java.util.List;

/**
 * Run in a child JVM by {@link FilterInstallerForkTest}: reports, one line each, how the guard behaves in that JVM's
 * filter settings. Argument {@code stream-first}: an ObjectInputStream is created before the guard's first use (as
 * on every executor), which fixes the JVM's filter factory.
 */
public final class GuardProbeMain {
    private GuardProbeMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("stream-first")) {
            Tripwire.deserialise(Tripwire.serialise("spark was here"));
        }
        try {
            DeserializationGuard.read("probe.zip", () -> Tripwire.deserialise(Tripwire.serialise(new Tripwire())));
            System.out.println("tripwire: read");
        } catch (BadInputException e) {
            System.out.println("tripwire: refused " + e.getMessage());
        } catch (IllegalStateException e) {
            System.out.println("cannot: " + e.getMessage());
            return;
        }
        System.out.println("mode: " + FilterInstaller.mode());
        try {
            Object list = DeserializationGuard.read("list.bin",
                    () -> Tripwire.deserialise(Tripwire.serialise(new LinkedList<>(List.of("a")))));
            System.out.println("linked list: read " + list);
        } catch (BadInputException e) {
            System.out.println("linked list: refused " + e.getMessage());
        }
        Tripwire.deserialise(Tripwire.serialise(new Tripwire()));
        System.out.println("outside: readObject ran " + Tripwire.RUNS.get() + " time(s)");
    }
}
