package org.sparkcnn.pipeline.checkpoint;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSourceTest {
    @TempDir
    Path warehouse;
    final Storage storage = Storage.of(new Configuration());

    private Path checkpoints() throws Exception {
        Path cp = warehouse.resolve("run-7/checkpoints");
        Files.createDirectories(cp.resolve("epoch-0003"));
        Files.write(cp.resolve("epoch-0003/model.zip"), new byte[]{1});
        Files.writeString(cp.resolve("best"), "epoch-0003\n");
        return cp;
    }

    @Test
    void aCheckpointDirectoryItsModelFileOrAPointerNameTheRunAndCheckpoint() throws Exception {
        Path cp = checkpoints();
        RunLayout expected = RunLayout.of(warehouse.toUri().toString(), "run-7");
        for (Path given : new Path[]{cp.resolve("epoch-0003"), cp.resolve("epoch-0003/model.zip"), cp.resolve("best")}) {
            ModelSource source = ModelSource.ofPath(storage, given.toString());
            assertEquals("epoch-0003", source.checkpoint(), given.toString());
            assertEquals(Storage.qualify(expected.root()).replaceAll("/+$", ""), source.run().root().replaceAll("/+$", ""));
        }
    }

    @Test
    void somethingElseIsABadInputThatSaysWhatToGive() throws Exception {
        Path cp = checkpoints();
        for (String bad : new String[]{warehouse.resolve("model.zip").toString(), cp.resolve("epoch-0009").toString(),
                warehouse.resolve("run-7").toString()}) {
            BadInputException e = assertThrows(BadInputException.class, () -> ModelSource.ofPath(storage, bad), bad);
            assertTrue(e.getMessage().contains("--model " + bad) && e.getMessage().contains("checkpoints/epoch-NNNN"), e.getMessage());
        }
    }
}
