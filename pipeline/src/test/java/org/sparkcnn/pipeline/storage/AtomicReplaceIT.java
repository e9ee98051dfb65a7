package org.sparkcnn.pipeline.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkcnn.pipeline.testing.InJvmS3;
import org.sparkcnn.pipeline.testing.MiniHdfs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Storage#writeAtomically} replaces a file atomically on the local filesystem, a real HDFS and S3 (S3A
 * against an in-JVM S3 server): a crash just before the new bytes are published, or a writer that dies halfway,
 * leaves the old bytes whole and nothing else visible; concurrent readers see one whole version or the next, never
 * a missing file or a mix.
 */
class AtomicReplaceIT {
    @TempDir
    static java.nio.file.Path tmp;
    static MiniHdfs hdfs;
    static InJvmS3 s3;
    static Storage storage;

    /** What a crash looks like to the code it interrupts: an Error nothing is expected to handle. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("injected: the process dies here", null, false, false);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        hdfs = MiniHdfs.start(tmp.resolve("dfs").toFile());
        s3 = InJvmS3.start("bucket");
        Configuration conf = new Configuration();
        s3.configure(conf);
        // Small upload parts and in-memory buffers: a 6 MiB write is a multipart upload already underway when the
        // writer dies, not only a buffer that close() would send.
        conf.set("fs.s3a.multipart.size", "5M");
        conf.set("fs.s3a.fast.upload.buffer", "array");
        storage = Storage.of(conf);
    }

    @AfterAll
    static void stop() throws Exception {
        hdfs.close();
        s3.close();
    }

    static String dir(String fs, String name) {
        return switch (fs) {
            case "file" -> tmp.resolve("local").resolve(name).toUri().toString();
            case "hdfs" -> hdfs.uri() + "/atomic/" + name;
            default -> "s3a://bucket/atomic/" + name;
        };
    }

    /** Version {@code v}: its number, then a length and bytes that differ per version, so a mix cannot pass. */
    static byte[] version(int v, int baseLength) {
        byte[] b = new byte[baseLength + 977 * (v % 7)];
        ByteBuffer.wrap(b).putInt(v);
        for (int i = 4; i < b.length; i++) {
            b[i] = (byte) (v * 31 + i * 7);
        }
        return b;
    }

    /** The old content, written by plain Hadoop {@code create} (on {@code file:} that leaves a {@code .crc}). */
    static byte[] writeOld(String target) throws IOException {
        byte[] old = version(1, 100_000);
        try (OutputStream out = storage.create(target)) {
            out.write(old);
        }
        return old;
    }

    /** Every name in the folder, temporaries included (Hadoop's own listing; only {@code .crc} files hidden). */
    static List<String> everything(String dir) throws IOException {
        FileSystem fs = storage.fs(dir);
        List<String> names = new ArrayList<>();
        for (FileStatus s : fs.listStatus(new Path(dir))) {
            names.add(s.getPath().getName());
        }
        names.sort(String::compareTo);
        return names;
    }

    static void assertOnly(String dir, String name) throws IOException {
        assertEquals(List.of(name), storage.listFiles(dir, false).stream().map(f -> f.getPath().getName()).toList(),
                "listFiles shows the target only");
        assertEquals(List.of(), storage.listDirectoryNames(dir), "listDirectoryNames shows nothing");
        assertEquals(List.of(name), everything(dir), "no temporary or partial object left behind");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"file", "hdfs", "s3a"})
    void aCrashJustBeforePublishingLeavesTheOldBytes(String fs) throws IOException {
        String dir = dir(fs, "crash");
        String target = Storage.join(dir, "latest");
        byte[] old = writeOld(target);
        byte[] fresh = version(2, 100_000);

        Storage crashing = storage.withBeforePublish(uri -> {
            throw new SimulatedCrash();
        });
        assertThrows(SimulatedCrash.class, () -> crashing.writeAtomically(target, fresh));
        assertArrayEquals(old, storage.readAll(target), "the old bytes, whole");
        assertOnly(dir, "latest");

        storage.writeAtomically(target, fresh);
        assertArrayEquals(fresh, storage.readAll(target), "then a replace that is not interrupted publishes");
        assertOnly(dir, "latest");
    }

    static Stream<Arguments> writerFailures() {
        List<Arguments> out = new ArrayList<>();
        for (String fs : List.of("file", "hdfs", "s3a")) {
            for (String failure : List.of("IOException", "RuntimeException", "Error", "closeThenIOException")) {
                out.add(Arguments.of(fs, failure));
            }
        }
        return out.stream();
    }

    /** Writes half of {@code bytes} and dies the given way (after closing its stream itself, for one of them). */
    static Storage.StreamWriter diesHalfway(byte[] bytes, String failure) {
        return out -> {
            out.write(bytes, 0, bytes.length / 2);
            switch (failure) {
                case "IOException" -> throw new IOException("injected: the writer dies halfway");
                case "RuntimeException" -> throw new IllegalStateException("injected: the writer dies halfway");
                case "Error" -> throw new SimulatedCrash();
                default -> {
                    out.close();
                    throw new IOException("injected: the writer closes its stream, then dies");
                }
            }
        };
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("writerFailures")
    void aWriterThatDiesHalfwayLeavesTheOldBytesAndPublishesNothing(String fs, String failure) throws IOException {
        String dir = dir(fs, "dies-" + failure);
        String target = Storage.join(dir, "model.zip");
        byte[] old = writeOld(target);
        byte[] fresh = version(3, 12 << 20);

        assertThrows(Throwable.class, () -> storage.writeAtomically(target, diesHalfway(fresh, failure)));
        assertArrayEquals(old, storage.readAll(target), "the old bytes, whole");
        assertOnly(dir, "model.zip");

        String absent = Storage.join(dir, "never-finished.bin");
        assertThrows(Throwable.class, () -> storage.writeAtomically(absent, diesHalfway(fresh, failure)));
        assertFalse(storage.exists(absent), "no partial file or object at a new name");
        assertOnly(dir, "model.zip");
    }

    /**
     * One thread replaces the file again and again while another reads it in a tight loop: every read is one whole
     * version. On S3A a read may instead fail with RemoteFileChangedException (the object changed between its HEAD
     * and GET, detected by ETag); that is a detected change, retried, not a torn or missing file.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"file", "hdfs", "s3a"})
    void concurrentReadersSeeOneWholeVersionNeverAMissingFile(String fs) throws Exception {
        String dir = dir(fs, "concurrent");
        String target = Storage.join(dir, "latest");
        int base = 20_000;
        storage.writeAtomically(target, version(0, base));

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger changedUnderRead = new AtomicInteger();
        Set<Integer> seen = new ConcurrentSkipListSet<>();
        List<String> problems = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            while (!stop.get() && problems.size() < 5) {
                try {
                    byte[] got = storage.readAll(target);
                    int v = got.length >= 4 ? ByteBuffer.wrap(got).getInt() : -1;
                    if (v < 0 || !Arrays.equals(version(v, base), got)) {
                        problems.add("a mix or a partial file: " + got.length + " bytes claiming version " + v);
                    } else {
                        seen.add(v);
                    }
                    reads.incrementAndGet();
                } catch (UncheckedIOException e) {
                    // readAll starts again when the object changed under it; a writer replacing it every few
                    // milliseconds can still win all its attempts (S3A on Hadoop 3.3: RemoteFileChangedException;
                    // Hadoop 3.5's analytics stream: an IOException carrying S3's 412)
                    if (Storage.changedUnderRead(e.getCause())) {
                        changedUnderRead.incrementAndGet();
                    } else if (e.getCause() instanceof FileNotFoundException) {
                        problems.add("missing: " + e.getCause());
                    } else {
                        problems.add(e.getCause().toString());
                    }
                } catch (RuntimeException e) {
                    problems.add(e.toString());
                }
            }
        }, "reader");
        reader.setDaemon(true);
        reader.start();

        // Up to 40 replaces, or on until the reader has read 3 versions (a busy machine may starve it); within 5 s
        // (HDFS manages about 5 to 10 a second here).
        int replaces = 0;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((replaces < 40 || seen.size() < 3) && System.nanoTime() < deadline && problems.isEmpty()) {
            replaces++;
            storage.writeAtomically(target, version(replaces, base));
        }
        stop.set(true);
        reader.join(10_000);

        assertEquals(List.of(), problems, "every read is one whole version");
        assertTrue(replaces >= 10, "the writer replaced the file " + replaces + " times");
        assertTrue(seen.size() >= 3, "the reader read several versions: " + seen + " in " + reads + " reads"
                + " (" + changedUnderRead + " reads saw the object change under them)");
        assertArrayEquals(version(replaces, base), storage.readAll(target));
        assertOnly(dir, "latest");
    }

    /**
     * The object-store strategy for stores whose streams cannot be aborted (the bytes are staged locally and
     * uploaded once complete), forced on S3: a crash before the upload or a writer dying halfway leaves the old
     * object; a clean write replaces it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"crash", "IOException", "Error", "closeThenIOException"})
    void theStagedUploadForStoresWithoutAbortAlsoKeepsTheOldObject(String failure) throws IOException {
        String dir = dir("s3a", "staged-" + failure);
        String target = Storage.join(dir, "latest");
        byte[] old = writeOld(target);
        byte[] fresh = version(4, 6 << 20);

        if (failure.equals("crash")) {
            Storage crashing = storage.withBeforePublish(uri -> {
                throw new SimulatedCrash();
            });
            assertThrows(SimulatedCrash.class,
                    () -> crashing.writeAtomically(target, out -> out.write(fresh), ReplaceStrategy.STAGED_UPLOAD));
        } else {
            assertThrows(Throwable.class,
                    () -> storage.writeAtomically(target, diesHalfway(fresh, failure), ReplaceStrategy.STAGED_UPLOAD));
        }
        assertArrayEquals(old, storage.readAll(target), "the old bytes, whole");
        assertOnly(dir, "latest");

        storage.writeAtomically(target, out -> out.write(fresh), ReplaceStrategy.STAGED_UPLOAD);
        assertArrayEquals(fresh, storage.readAll(target));
        assertOnly(dir, "latest");
    }

    /** The strategy each filesystem gets. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"file", "hdfs", "s3a"})
    void eachFilesystemGetsItsAtomicStrategy(String fs) throws IOException {
        String target = Storage.join(dir(fs, "strategy"), "x");
        ReplaceStrategy expected = switch (fs) {
            case "file" -> ReplaceStrategy.LOCAL_RENAME;
            case "hdfs" -> ReplaceStrategy.NAMENODE_RENAME;
            default -> ReplaceStrategy.ABORTABLE_PUT;
        };
        assertEquals(expected, ReplaceStrategy.of(storage.fs(target), new Path(target)));
    }

    /** What a killed process leaves (a temporary that no finally block removed) is never listed. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"file", "hdfs", "s3a"})
    void aTemporaryLeftByAKilledProcessIsNeverListed(String fs) throws IOException {
        String dir = dir(fs, "leftover");
        storage.writeString(Storage.join(dir, "latest"), "epoch-0001\n");
        try (OutputStream out = storage.create(Storage.join(dir, ReplaceStrategy.TEMP_PREFIX + "latest-0c1d"))) {
            out.write("epoch-0002\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("latest"), storage.listFiles(dir, false).stream().map(f -> f.getPath().getName()).toList());
        assertEquals(List.of("latest"), storage.listFiles(dir, true).stream().map(f -> f.getPath().getName()).toList());
        assertEquals(List.of(), storage.glob(Storage.join(dir, "*")).stream().map(f -> f.getPath().getName())
                .filter(ReplaceStrategy::isTemporary).toList());
    }
}
