package org.sparkcnn.pipeline.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/** A class off the allow-list whose {@code readObject} counts its runs: a stand-in for a gadget. */
public final class Tripwire implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    public static final AtomicInteger RUNS = new AtomicInteger();

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        RUNS.incrementAndGet();
    }

    /** {@code value} written with a plain ObjectOutputStream. */
    public static byte[] serialise(Object value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one object with a plain ObjectInputStream. */
    public static Object deserialise(byte[] bytes) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }
}
