package org.sparkcnn.pipeline.storage;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one seam through which the pipeline reads and writes bytes: Hadoop's FileSystem API, so
 * {@code file:}, {@code hdfs:} and {@code s3a:} URIs mix freely. Serialisable: executors carry it
 * (with the driver's Hadoop configuration, credentials included) inside closures.
 *
 * <p>Publishing rule: {@link #writeAtomically} replaces a file atomically on every filesystem (see there for how
 * on each): a reader sees the old bytes or the new ones, whole, even across a crash. Several files still do not
 * appear together: a reader must trust only what a marker or pointer written last names. Storage's hidden
 * temporaries ({@code ._tmp-*}) never appear in {@link #listFiles}, {@link #listDirectoryNames} or {@link #glob}.
 */
public final class Storage implements Serializable {
    private static final long serialVersionUID = 1L;
    private final HadoopConf conf;
    /** Test seam, see {@link #withBeforePublish}; null (a no-op) otherwise, and on executors. */
    private final transient BeforePublish beforePublish;

    private Storage(HadoopConf conf, BeforePublish beforePublish) {
        this.conf = conf;
        this.beforePublish = beforePublish;
    }

    private Storage(Configuration conf) {
        this(new HadoopConf(conf), null);
    }

    public static Storage of(Configuration conf) {
        return new Storage(conf);
    }

    /**
     * Test seam: a Storage on the same configuration whose {@link #writeAtomically} calls {@code hook} once the new
     * bytes are complete and just before they are published (where a crash hurts most); a hook that throws
     * simulates a crash there.
     */
    Storage withBeforePublish(BeforePublish hook) {
        return new Storage(conf, hook);
    }

    /** Joins a base URI and relative segments with '/'. */
    public static String join(String base, String... segments) {
        StringBuilder sb = new StringBuilder(base);
        for (String s : segments) {
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '/') {
                sb.append('/');
            }
            sb.append(s.startsWith("/") ? s.substring(1) : s);
        }
        return sb.toString();
    }

    /**
     * Makes a user-given URI absolute: {@code file:./x} and {@code file:x} become {@code file:/abs/x};
     * URIs with an authority or an absolute path are returned unchanged.
     */
    public static String qualify(String uri) {
        if (uri.startsWith("file:") && !uri.startsWith("file:/")) {
            return new File(uri.substring("file:".length())).toPath().toAbsolutePath().normalize().toUri().toString();
        }
        if (!uri.contains(":")) {
            return new File(uri).toPath().toAbsolutePath().normalize().toUri().toString();
        }
        return uri;
    }

    public Configuration hadoopConf() {
        return conf.get();
    }

    public FileSystem fs(String uri) {
        try {
            return new Path(uri).getFileSystem(conf.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open filesystem for " + uri, e);
        }
    }

    public boolean exists(String uri) {
        try {
            return fs(uri).exists(new Path(uri));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + uri, e);
        }
    }

    public boolean isDirectory(String uri) {
        try {
            return fs(uri).getFileStatus(new Path(uri)).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + uri, e);
        }
    }

    public long length(String uri) {
        try {
            return fs(uri).getFileStatus(new Path(uri)).getLen();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + uri, e);
        }
    }

    public InputStream open(String uri) throws IOException {
        return fs(uri).open(new Path(uri));
    }

    /** Reads of a file replaced while read: how many whole reads {@link #readAll} tries. */
    static final int READ_ATTEMPTS = 4;

    /**
     * A whole (small) file. A file {@link #writeAtomically} replaces while it is read can fail the read on S3 (the
     * object changed between S3A's open and its GET: Hadoop 3.3's S3A says {@code RemoteFileChangedException}, Hadoop
     * 3.5's default analytics stream an IOException carrying S3's 412); the read starts again after a short pause,
     * up to {@value #READ_ATTEMPTS} times, and so returns one whole version.
     */
    public byte[] readAll(String uri) {
        for (int attempt = 1; ; attempt++) {
            try (InputStream in = open(uri)) {
                return in.readAllBytes();
            } catch (IOException e) {
                if (attempt >= READ_ATTEMPTS || !changedUnderRead(e)) {
                    throw new UncheckedIOException("cannot read " + uri, e);
                }
                try {
                    Thread.sleep(10L * attempt); // let the writer's replace finish
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException("interrupted reading " + uri, e);
                }
            }
        }
    }

    /** Whether {@code e} says the file changed under the read (S3A's exception, or S3's 412 in its message). */
    static boolean changedUnderRead(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("RemoteFileChangedException")
                    || (t.getMessage() != null && t.getMessage().contains("Status Code: 412"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    public String readString(String uri) {
        return new String(readAll(uri), StandardCharsets.UTF_8);
    }

    /** Creates (or replaces) a file; the caller closes the stream. Not atomic: see {@link #writeAtomically}. */
    public OutputStream create(String uri) throws IOException {
        return fs(uri).create(new Path(uri), true);
    }

    /**
     * Writes a file through a callback and publishes it atomically: readers see the previous content (or no file)
     * until the new bytes are complete, then the new content; never a partial or mixed file, and never a missing
     * one where there was one, also when the writer fails or the process dies at any point. How depends on the
     * filesystem (chosen in {@code ReplaceStrategy.of}):
     * <ul>
     *   <li>{@code file:} a hidden sibling, then one atomic OS rename over the target (the target's stale
     *       {@code .crc} is dropped first, so the result never fails Hadoop's checksum on read);</li>
     *   <li>{@code hdfs:} a hidden sibling, then the NameNode's atomic rename with OVERWRITE;</li>
     *   <li>{@code s3a:} (no atomic rename, but uploads appear whole on close) straight to the final key, with the
     *       upload aborted, not closed, when the writer fails; other object stores stage the bytes in a local file
     *       and upload it only once complete;</li>
     *   <li>any other filesystem: hidden sibling, rename, and delete-then-rename where rename does not replace
     *       (the one case not atomic against a crash).</li>
     * </ul>
     * A failed write removes its temporary; temporaries ({@code ._tmp-*}) are hidden and never listed here.
     * The writer may close the stream it is given; that does not publish anything early.
     */
    public void writeAtomically(String uri, StreamWriter writer) {
        Path target = new Path(uri);
        FileSystem fs = fs(uri);
        try {
            writeAtomically(fs, target, writer, ReplaceStrategy.of(fs, target));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + uri, e);
        }
    }

    /** {@link #writeAtomically(String, StreamWriter)} with a given strategy (tests force one with it). */
    void writeAtomically(String uri, StreamWriter writer, ReplaceStrategy strategy) {
        try {
            writeAtomically(fs(uri), new Path(uri), writer, strategy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + uri, e);
        }
    }

    private void writeAtomically(FileSystem fs, Path target, StreamWriter writer, ReplaceStrategy strategy)
            throws IOException {
        strategy.replace(fs, target, writer, beforePublish == null ? u -> { } : beforePublish);
    }

    public void writeAtomically(String uri, byte[] bytes) {
        writeAtomically(uri, out -> out.write(bytes));
    }

    public void writeString(String uri, String text) {
        writeAtomically(uri, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Files (not directories) directly under, or recursively below, a directory, without Storage's own temporaries
     * ({@code ._tmp-*}); sorted by URI. On the local filesystem this walks with {@code listStatus}: Hadoop's located
     * listing forks a process per file there to read permissions (6 s for 2,400 files); object stores keep the flat
     * recursive listing.
     */
    public List<FileStatus> listFiles(String dirUri, boolean recursive) {
        List<FileStatus> out = new ArrayList<>();
        FileSystem fs = fs(dirUri);
        try {
            if (fs.getScheme().equals("file")) {
                walk(fs, new Path(dirUri), recursive, out);
            } else {
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(new Path(dirUri), recursive);
                while (it.hasNext()) {
                    LocatedFileStatus s = it.next();
                    if (!ReplaceStrategy.isTemporary(s.getPath().getName())) {
                        out.add(s);
                    }
                }
            }
        } catch (FileNotFoundException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dirUri, e);
        }
        out.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
        return out;
    }

    private static void walk(FileSystem fs, Path dir, boolean recursive, List<FileStatus> out) throws IOException {
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isDirectory()) {
                if (recursive) {
                    walk(fs, s.getPath(), true, out);
                }
            } else if (!ReplaceStrategy.isTemporary(s.getPath().getName())) {
                out.add(s);
            }
        }
    }

    /**
     * What a Hadoop glob ({@code *}, {@code ?}, {@code [ab]}, {@code {a,b}}) matches, files and directories;
     * sorted by URI, empty when nothing matches. A pattern without a scheme is a local path.
     */
    public List<FileStatus> glob(String pattern) {
        Path path = pattern.contains(":") ? new Path(pattern) : new Path(new File(pattern).getAbsolutePath());
        try {
            FileSystem fs = path.getFileSystem(conf.get());
            FileStatus[] matches = fs.globStatus(path);
            List<FileStatus> out = new ArrayList<>();
            for (FileStatus m : matches == null ? new FileStatus[0] : matches) {
                if (!ReplaceStrategy.isTemporary(m.getPath().getName())) {
                    out.add(m);
                }
            }
            out.sort((a, b) -> a.getPath().toString().compareTo(b.getPath().toString()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot expand " + pattern, e);
        }
    }

    /** Direct children that are directories; sorted by name; without Storage's own temporaries. */
    public List<String> listDirectoryNames(String dirUri) {
        List<String> out = new ArrayList<>();
        try {
            for (FileStatus s : fs(dirUri).listStatus(new Path(dirUri))) {
                if (s.isDirectory() && !ReplaceStrategy.isTemporary(s.getPath().getName())) {
                    out.add(s.getPath().getName());
                }
            }
        } catch (FileNotFoundException e) {
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dirUri, e);
        }
        out.sort(String::compareTo);
        return out;
    }

    public void delete(String uri) {
        try {
            fs(uri).delete(new Path(uri), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + uri, e);
        }
    }

    public void mkdirs(String uri) {
        try {
            fs(uri).mkdirs(new Path(uri));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + uri, e);
        }
    }

    /** Renames a file or directory; the target's parent is created first. */
    public void rename(String from, String to) {
        try {
            FileSystem fs = fs(from);
            Path target = new Path(to);
            fs.mkdirs(target.getParent());
            if (!fs.rename(new Path(from), target)) {
                throw new IOException("rename returned false");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + from + " to " + to, e);
        }
    }

    /** Called by {@link #writeAtomically} between completing and publishing the new bytes (a test seam). */
    @FunctionalInterface
    interface BeforePublish {
        void beforePublish(String uri) throws IOException;
    }

    /** Writes bytes to an output stream; may throw IOException. */
    @FunctionalInterface
    public interface StreamWriter {
        void write(OutputStream out) throws IOException;
    }
}
