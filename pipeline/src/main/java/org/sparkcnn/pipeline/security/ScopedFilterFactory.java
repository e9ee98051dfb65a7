package org.sparkcnn.pipeline.security;

import java.io.ObjectInputFilter;
import java.util.function.BinaryOperator;

/**
 * The JVM's deserialisation filter factory (JDK 17, {@link ObjectInputFilter.Config#setSerialFilterFactory}): asks
 * the factory it replaced for a stream's filter, and, when the stream is created inside a guarded read on this
 * thread, adds {@link SerialAllowList} in front of it (a class must pass both). Outside a guarded read it returns
 * exactly what the previous factory returns, so Spark's and everyone else's streams are filtered as before.
 *
 * <p>{@link DeserializationGuard} installs it lazily. To have it from JVM start (needed where a JVM-wide filter is
 * set with {@code -Djdk.serialFilter}, or another factory would otherwise win), name it with
 * {@code -Djdk.serialFilterFactory=org.sparkcnn.pipeline.security.ScopedFilterFactory} on the driver and executors;
 * the JDK then loads it with the system class loader, so the pipeline jar must be on the JVM's class path.
 */
public final class ScopedFilterFactory implements BinaryOperator<ObjectInputFilter> {
    private final BinaryOperator<ObjectInputFilter> previous;

    /**
     * For {@code -Djdk.serialFilterFactory}: composes with the JDK's built-in behaviour, which gives a new stream the
     * JVM-wide filter ({@code jdk.serialFilter}) and lets {@code setObjectInputFilter} replace it.
     */
    public ScopedFilterFactory() {
        this((current, next) -> next);
    }

    ScopedFilterFactory(BinaryOperator<ObjectInputFilter> previous) {
        this.previous = previous;
    }

    @Override
    public ObjectInputFilter apply(ObjectInputFilter current, ObjectInputFilter next) {
        ObjectInputFilter base = previous.apply(current, next);
        // A stream created in a scope keeps that scope's rules if its filter is set again later.
        ReadScope scope = current instanceof ReadScope.Bound bound ? bound.scope() : ReadScope.current();
        return scope == null ? base : scope.filter(base);
    }

    @Override
    public String toString() {
        return "ScopedFilterFactory(over " + previous + ")";
    }
}
