package org.sparkcnn.pipeline.shards;

import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import org.apache.hadoop.fs.ChecksumException;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shards of one committed ingest, read back verified: every read streams the file once through SHA-256 and
 * checks it, its length and its example count against the manifest before the shard is returned, so no update or
 * evaluation ever uses a shard that changed after ingest. A mismatch is a bad input (exit 2) naming the shard and
 * the run. Serialisable: executors carry it (the manifest's shard list, not the manifest).
 */
public final class ShardSource implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Storage storage;
    private final String runRoot;
    private final String generationRoot;
    private final Map<String, ShardInfo> byPath;

    private ShardSource(Storage storage, String runRoot, String generationRoot, Map<String, ShardInfo> byPath) {
        this.storage = storage;
        this.runRoot = runRoot;
        this.generationRoot = generationRoot;
        this.byPath = byPath;
    }

    public static ShardSource of(Storage storage, RunLayout run, ShardManifest manifest) {
        Map<String, ShardInfo> byPath = new LinkedHashMap<>();
        manifest.shards().forEach(s -> byPath.put(s.path(), s));
        return new ShardSource(storage, run.root(), manifest.generationRoot(run.root()), byPath);
    }

    /** Where the shard named {@code path} ({@code shards/<split>/part-NNNNN.bin}) is stored. */
    public String uri(String path) {
        return Storage.join(generationRoot, info(path).path());
    }

    public ShardInfo info(String path) {
        ShardInfo info = byPath.get(path);
        if (info == null) {
            throw new IllegalArgumentException("shard " + path + " is not in the manifest of run " + runRoot);
        }
        return info;
    }

    /** The shard as written (uint8 features, one-hot labels), verified against the manifest. */
    public DataSet read(String path) {
        ShardInfo info = info(path);
        String uri = uri(path);
        MessageDigest md = ShardWriter.sha256();
        long[] count = new long[1];
        DataSet ds = null;
        Exception decodeFailure = null;
        try (InputStream raw = storage.open(uri)) {
            DigestInputStream digesting = new DigestInputStream(counting(raw, count), md);
            BufferedInputStream in = new BufferedInputStream(digesting, 1 << 20);
            try {
                ds = DataSetCodec.readStrict(in, info.bytes());
            } catch (ChecksumException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                decodeFailure = e;
            }
            in.transferTo(OutputStream.nullOutputStream());
        } catch (ChecksumException e) {
            // the filesystem's own checksum (Hadoop's .crc files, HDFS block checksums) caught it first
            throw corrupt(uri, "it fails its filesystem checksum (" + e.getMessage() + ")", e);
        } catch (java.io.FileNotFoundException e) {
            throw new BadInputException("shard " + uri + " of run " + runRoot + " is missing (the manifest lists it); "
                    + "the run's shards were changed after ingest: re-run ingest for this run with --overwrite", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read shard " + uri, e);
        }
        String sha = HexFormat.of().formatHex(md.digest());
        if (count[0] != info.bytes() || !sha.equals(info.sha256())) {
            throw corrupt(uri, count[0] + " bytes with SHA-256 " + sha + ", but the manifest recorded " + info.bytes()
                    + " bytes with SHA-256 " + info.sha256(), null);
        }
        if (decodeFailure != null || ds.numExamples() != info.examples()) {
            throw new BadInputException("shard " + uri + " of run " + runRoot + " matches its recorded SHA-256 but "
                    + (decodeFailure != null ? "does not decode (" + decodeFailure.getMessage() + ")"
                    : "holds " + ds.numExamples() + " examples, not the manifest's " + info.examples())
                    + "; the manifest and shard were not written together: re-run ingest for this run with --overwrite",
                    decodeFailure);
        }
        return ds;
    }

    private BadInputException corrupt(String uri, String why, Throwable cause) {
        return new BadInputException("shard " + uri + " of run " + runRoot + " is corrupt: " + why + "; it changed "
                + "after ingest (a storage fault or tampering), so nothing was trained or evaluated on it: re-run "
                + "ingest for this run with --overwrite", cause);
    }

    private static InputStream counting(InputStream in, long[] count) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    count[0]++;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    count[0] += n;
                }
                return n;
            }
        };
    }
}
