package org.sparkcnn.pipeline.model;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.storage.Storage;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every form {@code model.init} takes, and the messages for the ones that are not models. */
class PretrainedModelLoaderTest {
    @TempDir
    Path dir;

    @Test
    void readsAZipACheckpointFolderAPointerAndARunFolder() throws Exception {
        Storage storage = Storage.of(new Configuration());
        Network net = FineTunerTest.lenet();
        Path checkpoint = dir.resolve("run/checkpoints/epoch-0003");
        Files.createDirectories(checkpoint);
        Files.write(checkpoint.resolve("model.zip"), net.toBytes(true));
        Files.writeString(dir.resolve("run/checkpoints/best"), "epoch-0003\n");
        Files.writeString(dir.resolve("run/checkpoints/final"), "epoch-0003\n");
        Path zoo = dir.resolve("weights.zip");
        Files.write(zoo, net.toBytes(false));

        for (Path p : new Path[]{zoo, checkpoint, dir.resolve("run/checkpoints/best"), dir.resolve("run")}) {
            Network loaded = PretrainedModelLoader.load(storage, p.toUri().toString());
            assertEquals(net.params(), loaded.params(), p.toString());
        }
        assertEquals(net.params(), PretrainedModelLoader.load(storage, "file:" + zoo).params(), "plain file: path");
    }

    @Test
    void missingPathsAndNonModelsAreBadInputNamingTheKey() throws Exception {
        Storage storage = Storage.of(new Configuration());
        BadInputException missing = assertThrows(BadInputException.class,
                () -> PretrainedModelLoader.load(storage, dir.resolve("nope.zip").toUri().toString()));
        assertTrue(missing.getMessage().startsWith("model.init = ") && missing.getMessage().contains("does not exist"),
                missing.getMessage());
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello\n");
        BadInputException notModel = assertThrows(BadInputException.class,
                () -> PretrainedModelLoader.load(storage, text.toUri().toString()));
        assertTrue(notModel.getMessage().contains("neither a DL4J model zip nor a checkpoint pointer"), notModel.getMessage());
        Files.writeString(dir.resolve("latest"), "epoch-0009\n");
        BadInputException dangling = assertThrows(BadInputException.class,
                () -> PretrainedModelLoader.load(storage, dir.resolve("latest").toUri().toString()));
        assertTrue(dangling.getMessage().contains("points at checkpoint epoch-0009"), dangling.getMessage());
        Path brokenZip = dir.resolve("broken.zip");
        Files.write(brokenZip, new byte[]{'P', 'K', 3, 4, 0, 0});
        BadInputException broken = assertThrows(BadInputException.class,
                () -> PretrainedModelLoader.load(storage, brokenZip.toUri().toString()));
        assertTrue(broken.getMessage().contains("not a readable DL4J model"), broken.getMessage());
        Files.createDirectories(dir.resolve("empty"));
        BadInputException folder = assertThrows(BadInputException.class,
                () -> PretrainedModelLoader.load(storage, dir.resolve("empty").toUri().toString()));
        assertTrue(folder.getMessage().contains("without model.zip"), folder.getMessage());
        assertTrue(ConfigLoader.load(null, java.util.List.of()).model().init().isEmpty());
    }
}
