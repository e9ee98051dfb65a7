package org.sparkcnn.pipeline.storage;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparkcnn.pipeline.testing.InJvmS3;
import org.sparkcnn.pipeline.testing.MiniHdfs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The primitive every commit relies on (manifests, shards, checkpoints and their pointers): a write that dies
 * midway leaves nothing half-visible, on the local filesystem, a real HDFS and S3. The target keeps its previous
 * content or stays absent, and no temporary file is left behind.
 */
class CommitSemanticsIT {
    @TempDir
    static Path tmp;
    static MiniHdfs hdfs;
    static InJvmS3 s3;
    static Storage storage;

    @BeforeAll
    static void start() throws Exception {
        hdfs = MiniHdfs.start(tmp.resolve("dfs").toFile());
        s3 = InJvmS3.start("bucket");
        Configuration conf = new Configuration();
        s3.configure(conf);
        storage = Storage.of(conf);
    }

    @AfterAll
    static void stop() throws Exception {
        hdfs.close();
        s3.close();
    }

    static String root(String fs) {
        return switch (fs) {
            case "file" -> tmp.resolve("local").toUri().toString();
            case "hdfs" -> hdfs.uri() + "/commit";
            default -> "s3a://bucket/commit";
        };
    }

    /** Writes 1 MiB and then fails, as a killed task would. */
    static void dieMidway(OutputStream out) throws IOException {
        out.write(new byte[1 << 20]);
        throw new IOException("injected: the writer dies midway");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file", "hdfs", "s3a"})
    void aWriteThatDiesMidwayLeavesThePreviousContentAndNoTemporaryFile(String fs) {
        String dir = Storage.join(root(fs), "files");
        String target = Storage.join(dir, "latest");
        storage.writeString(target, "epoch-0001\n");
        assertThrows(RuntimeException.class, () -> storage.writeAtomically(target, CommitSemanticsIT::dieMidway));
        assertEquals("epoch-0001\n", storage.readString(target), "readers still see the previous pointer");

        String fresh = Storage.join(dir, "part-00000.bin");
        assertThrows(RuntimeException.class, () -> storage.writeAtomically(fresh, CommitSemanticsIT::dieMidway));
        assertFalse(storage.exists(fresh), "a shard that was never finished is not visible");
        assertEquals(List.of("latest"), storage.listFiles(dir, false).stream().map(f -> f.getPath().getName()).toList(),
                "no temporary file left behind");
    }
}
