package org.sparkcnn.pipeline.storage;

import org.apache.hadoop.fs.CommonPathCapabilities;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.UUID;

/**
 * How {@link Storage#writeAtomically} replaces a file on each kind of filesystem, chosen in one place,
 * {@link #of}. Every strategy gives the same promise: until the new bytes are complete the target keeps its old
 * bytes, and a crash or a failing writer at any point leaves either the old or the new bytes readable, never a
 * missing or a partial file (the one exception, {@link #RENAME_FALLBACK}, is said there). Temporaries are hidden
 * siblings named {@value #TEMP_PREFIX}{@code <name>-<uuid>}, removed when a write fails and never listed by
 * {@link Storage}.
 */
enum ReplaceStrategy {
    /**
     * {@code file:}. Hadoop's LocalFileSystem keeps a {@code .<name>.crc} beside each file, and its own
     * replace is delete-then-rename. Here the new bytes go to a hidden sibling written with java.nio (so it has no
     * {@code .crc}), the target's {@code .crc} is deleted (a file without one is read unverified, so the old bytes
     * stay readable), and one {@code rename(2)} ({@code Files.move} with {@code ATOMIC_MOVE}) swaps the new file
     * in. A reader holds the old or the new inode, never a mix, and no stale {@code .crc} can fail it.
     */
    LOCAL_RENAME {
        @Override
        void replace(FileSystem fs, Path target, Storage.StreamWriter writer, Storage.BeforePublish hook)
                throws IOException {
            File file = localFile(fs, target);
            java.nio.file.Path dest = file.toPath();
            java.nio.file.Path dir = dest.getParent();
            Files.createDirectories(dir);
            java.nio.file.Path tmp = dir.resolve(tempName(target));
            boolean published = false;
            try {
                try (OutputStream out = new BufferedOutputStream(
                        Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16)) {
                    writer.write(closeShield(out));
                }
                Files.deleteIfExists(dir.resolve("." + dest.getFileName() + ".crc"));
                hook.beforePublish(target.toString());
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                published = true;
            } finally {
                if (!published) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException ignored) {
                        // best effort: the name is hidden and never listed
                    }
                }
            }
        }
    },

    /**
     * {@code hdfs:}. The new bytes go to a hidden sibling; {@code DistributedFileSystem.rename(src, dst,
     * OVERWRITE)} is then one NameNode call ({@code ClientProtocol.rename2}) that removes the old inode and moves
     * the new one in under the namesystem lock, logged as one edit. (Not {@code FileContext}: only its
     * {@code Hdfs} binding maps OVERWRITE to that call; the generic {@code AbstractFileSystem} deletes, then
     * renames. And a {@code FileContext} per write would open a DFS client per write.)
     */
    NAMENODE_RENAME {
        @Override
        void replace(FileSystem fs, Path target, Storage.StreamWriter writer, Storage.BeforePublish hook)
                throws IOException {
            viaHiddenSibling(fs, target, writer, hook,
                    tmp -> ((DistributedFileSystem) fs).rename(tmp, target, Options.Rename.OVERWRITE));
        }
    },

    /**
     * Object stores whose output streams can be aborted ({@code s3a:}: {@link CommonPathCapabilities#ABORTABLE_STREAM}).
     * They have no atomic rename (S3A's is copy-then-delete) but an upload becomes visible whole, when the stream
     * closes, or not at all. So the writer streams straight to the final key; on success {@code close()} publishes;
     * on any failure the stream is {@code abort()}ed and never closed, because closing would upload the partial
     * bytes over the old object.
     */
    ABORTABLE_PUT {
        @Override
        void replace(FileSystem fs, Path target, Storage.StreamWriter writer, Storage.BeforePublish hook)
                throws IOException {
            FSDataOutputStream out = fs.create(target, true);
            boolean closing = false;
            try {
                writer.write(closeShield(out));
                hook.beforePublish(target.toString());
                closing = true; // a close() that fails has given up (and aborted) its upload itself
                out.close();
            } finally {
                if (!closing) {
                    try {
                        out.abort();
                    } catch (RuntimeException ignored) {
                        // abort is best effort; the stream is not closed either way, so nothing is uploaded
                    }
                }
            }
        }
    },

    /**
     * Other object stores, whose streams cannot be aborted ({@link #OBJECT_STORES}). The writer fills a local
     * temporary file; only when it succeeded is that file uploaded to the final key in one go
     * ({@code copyFromLocalFile}), so a failing writer never opens a stream to the store.
     */
    STAGED_UPLOAD {
        @Override
        void replace(FileSystem fs, Path target, Storage.StreamWriter writer, Storage.BeforePublish hook)
                throws IOException {
            java.nio.file.Path local = Files.createTempFile("storage-upload-", ".tmp");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(local), 1 << 16)) {
                    writer.write(closeShield(out));
                }
                hook.beforePublish(target.toString());
                fs.copyFromLocalFile(false, true, new Path(local.toUri()), target);
            } finally {
                Files.deleteIfExists(local);
            }
        }
    },

    /**
     * Any other filesystem: hidden sibling, then {@code rename}; where rename does not replace an existing target,
     * the target is deleted first. This is the only strategy with a window (between that delete and the rename)
     * in which a crash leaves no file; add a strategy above for a filesystem that has a better primitive.
     */
    RENAME_FALLBACK {
        @Override
        void replace(FileSystem fs, Path target, Storage.StreamWriter writer, Storage.BeforePublish hook)
                throws IOException {
            viaHiddenSibling(fs, target, writer, hook, tmp -> {
                if (!fs.rename(tmp, target)) {
                    if (fs.exists(target) && !fs.delete(target, false)) {
                        throw new IOException("cannot replace " + target);
                    }
                    if (!fs.rename(tmp, target)) {
                        throw new IOException("rename " + tmp + " -> " + target + " failed");
                    }
                }
            });
        }
    };

    /** Names of Storage's temporaries start with this; {@link Storage}'s listings skip them. */
    static final String TEMP_PREFIX = "._tmp-";

    /** Object-store schemes without atomic rename; they use {@link #STAGED_UPLOAD} unless their streams abort. */
    static final Set<String> OBJECT_STORES = Set.of("s3", "s3a", "s3n", "gs", "oss", "cosn", "obs");

    /** The strategy for {@code target} on {@code fs}: the one place where the choice is made. */
    static ReplaceStrategy of(FileSystem fs, Path target) throws IOException {
        if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
            return LOCAL_RENAME;
        }
        if (fs instanceof DistributedFileSystem) {
            return NAMENODE_RENAME;
        }
        if (fs.hasPathCapability(target, CommonPathCapabilities.ABORTABLE_STREAM)) {
            return ABORTABLE_PUT;
        }
        if (OBJECT_STORES.contains(fs.getUri().getScheme())) {
            return STAGED_UPLOAD;
        }
        return RENAME_FALLBACK;
    }

    /**
     * Writes {@code writer}'s bytes to {@code target}, replacing it atomically; {@code hook} runs once the new
     * bytes are complete and before they are published (a test seam; a no-op otherwise).
     */
    abstract void replace(FileSystem fs, Path target, Storage.StreamWriter writer, Storage.BeforePublish hook)
            throws IOException;

    /** Moves a complete hidden sibling over the target. */
    @FunctionalInterface
    private interface Publish {
        void publish(Path tmp) throws IOException;
    }

    /**
     * The writer's bytes to a hidden sibling through {@code fs}, then {@code publish} moves it over the target; the
     * sibling is removed when anything before the move fails (an {@link Error} included).
     */
    private static void viaHiddenSibling(FileSystem fs, Path target, Storage.StreamWriter writer,
                                         Storage.BeforePublish hook, Publish publish) throws IOException {
        Path tmp = new Path(target.getParent(), tempName(target));
        boolean published = false;
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                writer.write(closeShield(out));
            }
            hook.beforePublish(target.toString());
            publish.publish(tmp);
            published = true;
        } finally {
            if (!published) {
                deleteQuietly(fs, tmp);
            }
        }
    }

    static boolean isTemporary(String name) {
        return name.startsWith(TEMP_PREFIX);
    }

    private static String tempName(Path target) {
        return TEMP_PREFIX + target.getName() + "-" + UUID.randomUUID();
    }

    private static File localFile(FileSystem fs, Path target) {
        if (fs instanceof LocalFileSystem local) {
            return local.pathToFile(target);
        }
        return ((RawLocalFileSystem) fs).pathToFile(target);
    }

    private static void deleteQuietly(FileSystem fs, Path p) {
        try {
            fs.delete(p, false);
        } catch (IOException | RuntimeException ignored) {
            // best effort: the name is hidden and never listed
        }
    }

    /**
     * The writer's view of the stream: {@code close()} only flushes, so a writer that closes its stream (some
     * serialisers do) cannot publish early; Storage closes (publishes) or aborts the real stream itself.
     */
    private static OutputStream closeShield(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }
}
