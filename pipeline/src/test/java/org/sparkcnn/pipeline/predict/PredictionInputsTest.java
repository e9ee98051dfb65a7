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

    @Test
    void onAClusterDriverLocalFilesTravelWithTheirTasksAndOthersAreReadByTheExecutors() throws Exception {
        Path photo = Files.write(dir.resolve("photo.jpg"), new byte[]{7, 8, 9});
        String local = photo.toUri().toString();
        String missing = dir.resolve("missing.jpg").toUri().toString();
        String remote = "hdfs://namenode/photos/x.jpg";   // never opened on the driver
        List<PredictionInput> shipped = PredictionInputs.ship(storage, List.of(local, missing, remote), true, 1 << 20);
        org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[]{7, 8, 9}, shipped.get(0).shipped());
        assertEquals(null, shipped.get(1).shipped(), "a missing file is left for its NOT_FOUND row");
        assertEquals(null, shipped.get(2).shipped());
        assertEquals(List.of(local, missing, remote), shipped.stream().map(PredictionInput::path).toList());

        List<PredictionInput> local2 = PredictionInputs.ship(storage, List.of(local), false, 1 << 20);
        assertEquals(null, local2.get(0).shipped(), "executors on the driver's machine read it themselves");

        org.sparkcnn.pipeline.error.BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.sparkcnn.pipeline.error.BadInputException.class,
                () -> PredictionInputs.ship(storage, List.of(local), true, 2));
        assertTrue(e.getMessage().contains("copy them to the cluster's filesystem"), e.getMessage());
    }
}
