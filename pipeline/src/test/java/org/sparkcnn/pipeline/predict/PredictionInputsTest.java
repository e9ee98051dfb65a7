package org.sparkcnn.pipeline.predict;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.storage.Storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictionInputsTest {
    @TempDir
    Path dir;
    final Storage storage = Storage.of(new Configuration());

    private Path touch(String relative) throws Exception {
        Path p = dir.resolve(relative);
        Files.createDirectories(p.getParent());
        return Files.write(p, new byte[]{1});
    }

    private static String name(String uri) {
        return uri.substring(uri.lastIndexOf('/') + 1);
    }

    @Test
    void foldersAreWalkedGlobsMatchedAndMissingInputsKeptForTheirRow() throws Exception {
        touch("a/x.jpg");
        touch("a/sub/y.jpg");
        touch("a/.hidden.jpg");
        touch("a/_SUCCESS");
        touch("b/p.png");
        touch("b/q.jpg");
        Path single = touch("c/z.jpg");

        List<String> files = PredictionInputs.expand(storage, List.of(dir.resolve("a").toString(), dir + "/b/*.jpg",
                single.toString(), dir + "/nothing/*.gif", dir.resolve("gone.jpg").toString(), dir.resolve("a/x.jpg").toString()));

        assertEquals(List.of("y.jpg", "x.jpg", "q.jpg", "z.jpg", "*.gif", "gone.jpg"), files.stream().map(PredictionInputsTest::name).toList(),
                "folder walked in URI order without hidden/marker files, glob matched, a file given twice listed once, missing kept");
        assertTrue(files.get(4).endsWith("/nothing/*.gif"));
    }

    @Test
    void aGlobThatMatchesFoldersExpandsThem() throws Exception {
        touch("runs/one/img.jpg");
        touch("runs/two/img.jpg");
        List<String> files = PredictionInputs.expand(storage, List.of(dir + "/runs/{one,two}"));
        assertEquals(2, files.size());
        assertTrue(files.get(0).contains("/one/") && files.get(1).contains("/two/"), files.toString());
    }

    @Test
    void globCharactersAreRecognised() {
        assertTrue(PredictionInputs.isGlob("in/*.jpg"));
        assertTrue(PredictionInputs.isGlob("in/img?.jpg"));
        assertTrue(PredictionInputs.isGlob("in/{a,b}"));
        assertFalse(PredictionInputs.isGlob("s3a://bucket/in/photo.jpg"));
    }
}
