package org.sparkcnn.pipeline.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Storage#readAll} starts a read again when the file changed under it, and only then. The faults are injected
 * by a local filesystem whose opens fail with the errors S3A gives for an object replaced between its open and its
 * GET (Hadoop 3.5's analytics stream: an IOException carrying S3's 412).
 */
class StorageReadRetryTest {
    static final AtomicInteger FAILURES_LEFT = new AtomicInteger();
    static volatile String failure = "";

    /** Fails {@code FAILURES_LEFT} opens with {@code failure}, then reads the local file. */
    public static final class FlakyFileSystem extends RawLocalFileSystem {
        @Override
        public URI getUri() {
            return URI.create("flaky:///");
        }

        @Override
        public FSDataInputStream open(Path f, int bufferSize) throws IOException {
            if (FAILURES_LEFT.getAndDecrement() > 0) {
                throw new IOException("Server error accessing s3://b/" + f.getName(),
                        new IOException(failure));
            }
            return super.open(new Path(f.toUri().getPath()), bufferSize);
        }
    }

    @TempDir
    java.nio.file.Path dir;
    private Storage storage;
    private String uri;

    @BeforeEach
    void setUp() throws IOException {
        Configuration conf = new Configuration(false);
        conf.set("fs.flaky.impl", FlakyFileSystem.class.getName());
        conf.setBoolean("fs.flaky.impl.disable.cache", true);
        storage = Storage.of(conf);
        Files.writeString(dir.resolve("latest"), "epoch-0003");
        uri = "flaky://" + dir.resolve("latest").toAbsolutePath();
    }

    @Test
    void aFileReplacedWhileReadIsReadAgainWhole() {
        failure = "request failed with: At least one of the preconditions you specified did not hold. "
                + "(Service: S3, Status Code: 412, Request ID: X)";
        FAILURES_LEFT.set(Storage.READ_ATTEMPTS - 1);
        assertEquals("epoch-0003", new String(storage.readAll(uri), StandardCharsets.UTF_8));
        assertEquals(-1, FAILURES_LEFT.get(), "every failed attempt was made, then one that read");
    }

    @Test
    void itGivesUpAfterItsAttemptsNamingTheFile() {
        failure = "(Service: S3, Status Code: 412, Request ID: X)";
        FAILURES_LEFT.set(Storage.READ_ATTEMPTS);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> storage.readAll(uri));
        assertTrue(e.getMessage().contains(uri), e.getMessage());
        assertEquals(0, FAILURES_LEFT.get());
    }

    @Test
    void anyOtherFailureIsNotRetried() {
        failure = "(Service: S3, Status Code: 403, Request ID: X) Access Denied";
        FAILURES_LEFT.set(1);
        assertThrows(UncheckedIOException.class, () -> storage.readAll(uri));
        assertEquals(0, FAILURES_LEFT.get(), "one attempt only");
        assertFalse(Storage.changedUnderRead(new IOException("Status Code: 404")));
        assertTrue(Storage.changedUnderRead(new IOException("x",
                new org.apache.hadoop.fs.s3a.RemoteFileChangedException("s3a://b/k", "open", "changed"))));
    }
}
