package org.sparkcnn.pipeline.security;

import java.io.ObjectInputFilter;
import java.io.ObjectInputFilter.FilterInfo;
import java.io.ObjectInputFilter.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * One guarded read on one thread: while it is open, that thread's object streams check {@link SerialAllowList}.
 * It records every class a stream resolved and the first refusal, so the guard can name the refused class even when
 * the library that read the stream swallowed or re-wrapped the JDK's {@link java.io.InvalidClassException}.
 * Scopes nest (an inner read restores the outer scope when it closes).
 */
final class ReadScope implements AutoCloseable {
    private static final ThreadLocal<ReadScope> CURRENT = new ThreadLocal<>();

    private final ReadScope outer;
    private final Thread owner;
    private final List<String> resolved = new ArrayList<>();
    private String refusedClass;
    private boolean refusedByJvmFilter;
    private String exceededLimit;

    private ReadScope(ReadScope outer) {
        this.outer = outer;
        this.owner = Thread.currentThread();
    }

    /** Opens a scope on the calling thread; close it on the same thread. */
    static ReadScope open() {
        ReadScope scope = new ReadScope(CURRENT.get());
        CURRENT.set(scope);
        return scope;
    }

    /** The calling thread's open scope, or null outside a guarded read. */
    static ReadScope current() {
        return CURRENT.get();
    }

    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a read scope must be closed on the thread that opened it");
        }
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }

    /**
     * The verdict on one check: REJECTED when {@code info} exceeds a limit, names a class off the list, or when
     * {@code base} (the filter the JVM would have used, may be null) rejects it; ALLOWED for a listed class;
     * otherwise what {@code base} says (UNDECIDED without one).
     */
    synchronized Status check(FilterInfo info, ObjectInputFilter base) {
        String limit = SerialAllowList.limitExceeded(info);
        if (limit != null) {
            if (exceededLimit == null && refusedClass == null) {
                exceededLimit = limit;
            }
            return Status.REJECTED;
        }
        Class<?> type = info.serialClass();
        Status ours = Status.UNDECIDED;
        if (type != null) {
            resolved.add(type.getName());
            if (!SerialAllowList.allows(type)) {
                if (refusedClass == null && exceededLimit == null) {
                    refusedClass = type.getName();
                }
                return Status.REJECTED;
            }
            ours = Status.ALLOWED;
        }
        Status theirs = base == null ? Status.UNDECIDED : base.checkInput(info);
        if (theirs == Status.REJECTED) {
            if (refusedClass == null && exceededLimit == null) {
                refusedClass = type == null ? "(none named)" : type.getName();
                refusedByJvmFilter = true;
            }
            return Status.REJECTED;
        }
        return ours == Status.ALLOWED ? Status.ALLOWED : theirs;
    }

    /** A filter that checks this scope's rules, then {@code base}'s. */
    ObjectInputFilter filter(ObjectInputFilter base) {
        return new Bound(this, base);
    }

    /** The first class refused, or null. */
    synchronized String refusedClass() {
        return refusedClass;
    }

    /** Whether the first refusal came from the JVM's own filter (e.g. -Djdk.serialFilter) rather than the allow-list. */
    synchronized boolean refusedByJvmFilter() {
        return refusedByJvmFilter;
    }

    /** The first limit exceeded, as a phrase, or null. */
    synchronized String exceededLimit() {
        return exceededLimit;
    }

    synchronized boolean refused() {
        return refusedClass != null || exceededLimit != null;
    }

    /** Every class a stream resolved in this scope, in order, repeats included. */
    synchronized List<String> resolvedClasses() {
        return List.copyOf(resolved);
    }

    /** A scope's filter bound to one stream (what {@link ScopedFilterFactory} hands out). */
    record Bound(ReadScope scope, ObjectInputFilter base) implements ObjectInputFilter {
        @Override
        public Status checkInput(FilterInfo info) {
            return scope.check(info, base);
        }
    }

    /**
     * The JVM-wide form: checks the scope open on the checking thread, and has no opinion (UNDECIDED, which lets the
     * stream proceed exactly as with no filter) outside one.
     */
    static final class OnCurrentThread implements ObjectInputFilter {
        @Override
        public Status checkInput(FilterInfo info) {
            ReadScope scope = CURRENT.get();
            return scope == null ? Status.UNDECIDED : scope.check(info, null);
        }
    }
}
