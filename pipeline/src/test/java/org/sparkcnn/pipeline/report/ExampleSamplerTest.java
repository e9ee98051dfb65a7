package org.sparkcnn.pipeline.report;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.ShardWriter;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sampling reads shards only as far as it needs, within its budget, and keeps thumbnails of the right images. */
class ExampleSamplerTest {
    private static final List<String> CLASSES = List.of("zero", "one", "two");

    @TempDir
    Path dir;

    @Test
    void stopsReadingOnceEveryClassHasItsSamples() {
        // The second shard does not exist: reading it would fail.
        RunLayout run = new RunLayout(dir.toUri().toString());
        ShardManifest m = manifest(List.of(shard(run, "shards/test/part-00000.bin", 0, 1, 2, 0, 1, 2), missing("shards/test/part-00001.bin")));
        ExampleSampler.Sampled s = new ExampleSampler(storage(), run, m, 8).sample("test", 2, 1000, null, List.of(), 0);
        assertEquals(6, s.scanned());
        for (int c = 0; c < 3; c++) {
            assertEquals(2, s.ofClass(c).size());
            BufferedImage t = s.ofClass(c).get(0);
            assertEquals(8, t.getWidth(), "4x4 images as 8 px thumbnails");
            assertEquals(grey(c), t.getRGB(3, 3) & 0xffffff, "class " + c + "'s own pixels");
        }
    }

    @Test
    void theBudgetBoundsHowManyExamplesAreLookedAt() {
        RunLayout run = new RunLayout(dir.toUri().toString());
        ShardManifest m = manifest(List.of(shard(run, "shards/test/part-00000.bin", 0, 0, 0, 0, 1, 2)));
        ExampleSampler.Sampled s = new ExampleSampler(storage(), run, m, 8).sample("test", 2, 3, null, List.of(), 0);
        assertEquals(3, s.scanned());
        assertEquals(2, s.ofClass(0).size());
        assertTrue(s.ofClass(1).isEmpty() && s.ofClass(2).isEmpty());
    }

    @Test
    void keepsMisclassifiedExamplesOfTheWantedPairsOnly() {
        RunLayout run = new RunLayout(dir.toUri().toString());
        ShardManifest m = manifest(List.of(shard(run, "shards/test/part-00000.bin", 0, 1, 1, 1, 2, 2, 0)));
        List<int[]> batches = new ArrayList<>();
        ExampleSampler.Classifier alwaysZero = raw -> {
            int[] p = new int[raw.numExamples()];
            batches.add(p);
            return p;
        };
        ConfusedPairs.Pair oneAsZero = ConfusedPairs.top(new int[][]{{2, 0, 0}, {3, 0, 0}, {2, 0, 0}}, CLASSES, 1).get(0);
        assertEquals(1, oneAsZero.actual());
        ExampleSampler.Sampled s = new ExampleSampler(storage(), run, m, 4).sample("test", 0, 1000, alwaysZero,
                List.of(oneAsZero), 2);
        assertEquals(2, s.misclassifiedAs(1, 0).size(), "at most perPair");
        assertEquals(grey(1), s.misclassifiedAs(1, 0).get(0).getRGB(0, 0) & 0xffffff);
        assertTrue(s.misclassifiedAs(2, 0).isEmpty(), "not a wanted pair");
        assertEquals(1, batches.size());
    }

    private static int grey(int label) {
        int v = 40 + 100 * label;
        return (v << 16) | (v << 8) | v;
    }

    private static Storage storage() {
        return Storage.of(new Configuration());
    }

    private static ShardInfo shard(RunLayout run, String path, int... labels) {
        List<byte[]> pixels = new ArrayList<>();
        for (int label : labels) {
            byte[] p = new byte[3 * 4 * 4];
            Arrays.fill(p, (byte) (40 + 100 * label));
            pixels.add(p);
        }
        ShardWriter.Written w = ShardWriter.write(storage(), Storage.join(run.root(), path),
                ShardWriter.toDataSet(pixels, labels, 3, 4, 4, 3));
        return new ShardInfo("test", path, labels.length, w.bytes(), w.sha256());
    }

    private static ShardInfo missing(String path) {
        return new ShardInfo("test", path, 5, 0, "");
    }

    private static ShardManifest manifest(List<ShardInfo> shards) {
        return new ShardManifest(1, "r", "file:/c", "directory", CLASSES, 4, 4, 3, "stretch", 1, "h", "v", "t",
                0, 0, 0, 0, Map.of(), shards, "", null, "");
    }
}
