package org.sparkcnn.pipeline.security;

import org.sparkcnn.pipeline.error.BadInputException;

import java.io.IOException;

/**
 * The one way stored data is Java-deserialised: runs a read (a DL4J or ND4J call that may create
 * {@link java.io.ObjectInputStream}s on this thread) with {@link SerialAllowList} applied to those streams, and turns
 * a refusal into a {@link BadInputException} that names the file, the refused class and what to do. Usable on the
 * driver and on executors; the first call in a JVM installs the scoped check ({@link FilterInstaller}).
 */
public final class DeserializationGuard {
    private DeserializationGuard() {}

    /** A read that may Java-deserialise data. */
    @FunctionalInterface
    public interface Read<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code read} guarded.
     *
     * @param source the file being read (its URI), for messages
     * @throws BadInputException when a stream met a class off the allow-list or exceeded a limit (whatever the read
     *                           made of the JDK's refusal: thrown, wrapped or swallowed)
     * @throws IllegalStateException when the JVM's filter settings leave no way to guard; nothing is read then
     */
    public static <T> T read(String source, Read<T> read) throws IOException {
        FilterInstaller.ensureInstalled();
        T result;
        try (ReadScope scope = ReadScope.open()) {
            try {
                result = read.run();
            } catch (IOException | RuntimeException | Error e) {
                if (scope.refused()) {
                    throw refused(source, scope, e);
                }
                throw e;
            }
            if (scope.refused()) {
                throw refused(source, scope, null);
            }
        }
        return result;
    }

    private static BadInputException refused(String source, ReadScope scope, Throwable cause) {
        String what = scope.refusedClass() == null ? "Java-serialised data with " + scope.exceededLimit()
                : scope.refusedByJvmFilter() ? "Java-serialised data of class " + scope.refusedClass()
                + ", which this JVM's own deserialisation filter (jdk.serialFilter) refuses"
                : "Java-serialised data of class " + scope.refusedClass() + ", which is not on the allow-list of "
                + "classes this pipeline deserialises (DL4J/ND4J preprocessors and normalisers, label-name lists)";
        return new BadInputException(source + " was refused: it holds " + what + ". This file is not one this "
                + "project or DL4J wrote (or it was altered); do not load files of unknown origin. Use a model or "
                + "checkpoint written by this pipeline or by DL4J's ModelSerializer from a trusted source.", cause);
    }
}
