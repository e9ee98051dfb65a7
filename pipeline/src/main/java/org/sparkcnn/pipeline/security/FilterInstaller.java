package org.sparkcnn.pipeline.security;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputFilter.Config;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.function.BinaryOperator;

/**
 * Puts the scoped check into the JVM once, lazily and thread-safely, and proves it works before the first guarded
 * read. In order of preference:
 * <ol>
 *   <li>{@link ScopedFilterFactory} already is the factory ({@code -Djdk.serialFilterFactory} named it): nothing to do.</li>
 *   <li>Install {@link ScopedFilterFactory} over the current factory. The JDK allows this only before the JVM's first
 *       {@link ObjectInputStream}, so it works in a fresh JVM (a CLI driver, a test) and never on an executor.</li>
 *   <li>Otherwise install the scoped check as the JVM-wide filter (possible while none is set; the JDK's built-in
 *       factory gives it to every stream created afterwards). Outside a guarded read it answers UNDECIDED, which
 *       the JDK treats exactly like having no filter, so Spark's own streams are unaffected.</li>
 *   <li>Otherwise (a JVM-wide filter from {@code -Djdk.serialFilter} plus an existing stream, or another factory
 *       that ignores the JVM-wide filter): fail loudly, before anything is read, with what to do.</li>
 * </ol>
 * Composing is preferred over failing: the factory keeps the previous factory's verdict, and a class must pass both.
 */
final class FilterInstaller {
    /** How the scoped check reached the JVM. */
    enum Mode { FACTORY, JVM_WIDE_FILTER }

    private static volatile Mode mode;

    private FilterInstaller() {}

    /** Installs (the first time) and verifies the scoped check; throws IllegalStateException where impossible. */
    static Mode ensureInstalled() {
        Mode m = mode;
        if (m != null) {
            return m;
        }
        synchronized (FilterInstaller.class) {
            if (mode == null) {
                Mode installed = install();
                verify(installed);
                mode = installed;
            }
            return mode;
        }
    }

    private static Mode install() {
        BinaryOperator<ObjectInputFilter> factory = Config.getSerialFilterFactory();
        if (factory instanceof ScopedFilterFactory) {
            return Mode.FACTORY;
        }
        try {
            Config.setSerialFilterFactory(new ScopedFilterFactory(factory));
            return Mode.FACTORY;
        } catch (IllegalStateException tooLate) {
            // An ObjectInputStream exists already (or another factory was set): the JDK fixes the factory then.
        }
        ObjectInputFilter jvmWide = Config.getSerialFilter();
        if (jvmWide instanceof ReadScope.OnCurrentThread) {
            return Mode.JVM_WIDE_FILTER;
        }
        if (jvmWide == null) {
            try {
                Config.setSerialFilter(new ReadScope.OnCurrentThread());
                return Mode.JVM_WIDE_FILTER;
            } catch (IllegalStateException raced) {
                // Set by someone else meanwhile: fall through.
            }
        }
        throw cannotInstall("this JVM has a JVM-wide deserialisation filter (" + Config.getSerialFilter()
                + ", e.g. from -Djdk.serialFilter) and its filter factory (" + Config.getSerialFilterFactory()
                + ") was fixed before the first model or shard was read");
    }

    /** A probe object of a class off the list must be refused inside a scope; otherwise the guard would be a no-op. */
    private static void verify(Mode installed) {
        byte[] bytes;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ObjectOutputStream oos = new ObjectOutputStream(out)) {
                oos.writeObject(new Probe());
            }
            bytes = out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (ReadScope scope = ReadScope.open()) {
            try {
                new ObjectInputStream(new ByteArrayInputStream(bytes)).readObject();
            } catch (InvalidClassException expected) {
                // refused, as it must be
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalStateException("deserialisation guard self-test failed: " + e, e);
            }
            if (!Probe.class.getName().equals(scope.refusedClass())) {
                throw cannotInstall("the scoped check was installed (" + installed + ") but a probe object was not "
                        + "refused: the JVM's filter factory (" + Config.getSerialFilterFactory()
                        + ") does not apply the JVM-wide filter");
            }
        }
    }

    private static IllegalStateException cannotInstall(String why) {
        return new IllegalStateException("Cannot guard Java deserialisation of stored models and shards: " + why
                + ". Nothing was read. Start the driver and executor JVMs with -Djdk.serialFilterFactory="
                + ScopedFilterFactory.class.getName() + " (it keeps -Djdk.serialFilter's verdict too; put the pipeline "
                + "jar on the JVM class path, e.g. spark.driver.extraClassPath and spark.executor.extraClassPath, "
                + "and the flag in spark.driver.extraJavaOptions and spark.executor.extraJavaOptions), or drop the "
                + "other filter settings.");
    }

    static Mode mode() {
        return mode;
    }

    /** A class that is not on the allow-list, serialised only to prove that the check refuses it. */
    private static final class Probe implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
    }
}
