package org.sparkcnn.pipeline.shards;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.storage.Storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ShardRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void pixelsAndLabelsReadBackExactlyAsWritten() throws Exception {
        int n = 7, c = 3, h = 4, w = 5, classes = 3;
        Random rng = new Random(1);
        List<byte[]> pixels = new ArrayList<>();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            byte[] p = new byte[c * h * w];
            rng.nextBytes(p);
            pixels.add(p);
            labels[i] = i % classes;
        }
        Storage storage = Storage.of(new Configuration());
        String uri = dir.resolve("part-00000.bin").toUri().toString();
        ShardWriter.Written written = ShardWriter.write(storage, uri, ShardWriter.toDataSet(pixels, labels, c, h, w, classes));

        byte[] onDisk = Files.readAllBytes(dir.resolve("part-00000.bin"));
        assertEquals(onDisk.length, written.bytes());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(onDisk)), written.sha256());

        DataSet back = ShardReader.readRaw(storage, uri);
        assertEquals(DataType.UINT8, back.getFeatures().dataType());
        assertArrayEquals(new long[]{n, c, h, w}, back.getFeatures().shape());
        for (int i = 0; i < n; i++) {
            int[] expected = new int[c * h * w];
            for (int j = 0; j < expected.length; j++) {
                expected[j] = pixels.get(i)[j] & 0xff;
            }
            assertArrayEquals(expected, back.getFeatures().slice(i).dup().reshape(-1).toIntVector(), "example " + i);
            assertEquals(labels[i], back.getLabels().getRow(i).argMax().getInt(0));
            assertEquals(1.0, back.getLabels().getRow(i).sumNumber().doubleValue(), 0.0);
        }
    }

    @Test
    void minibatchesKeepTheRemainderAndRescale() {
        List<byte[]> pixels = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pixels.add(new byte[]{(byte) 255, (byte) i});
        }
        Storage storage = Storage.of(new Configuration());
        String uri = dir.resolve("s.bin").toUri().toString();
        ShardWriter.write(storage, uri, ShardWriter.toDataSet(pixels, new int[10], 2, 1, 1, 2));
        DataSet raw = ShardReader.readRaw(storage, uri);
        List<DataSet> batches = ShardReader.cut(new DataSet(raw.getFeatures().castTo(DataType.FLOAT).muli(1.0 / 255),
                raw.getLabels()), 4);
        assertEquals(List.of(4, 4, 2), batches.stream().map(DataSet::numExamples).toList());
        assertEquals(1.0, batches.get(0).getFeatures().getDouble(0, 0, 0, 0), 1e-6);
        assertEquals(9 / 255.0, batches.get(2).getFeatures().getDouble(1, 1, 0, 0), 1e-6);
        assertEquals(DataType.FLOAT, batches.get(0).getFeatures().dataType());
    }

    @Test
    void shufflePermutesExamplesTogetherWithTheirLabels() {
        List<byte[]> pixels = new ArrayList<>();
        int[] labels = new int[20];
        for (int i = 0; i < 20; i++) {
            pixels.add(new byte[]{(byte) i, (byte) (2 * i), (byte) (3 * i), (byte) (4 * i)});
            labels[i] = i % 4;
        }
        Storage storage = Storage.of(new Configuration());
        String uri = dir.resolve("p.bin").toUri().toString();
        ShardWriter.write(storage, uri, ShardWriter.toDataSet(pixels, labels, 1, 2, 2, 4));
        DataSet raw = ShardReader.readRaw(storage, uri);
        raw = new DataSet(raw.getFeatures().castTo(DataType.FLOAT), raw.getLabels());
        DataSet a = ShardReader.permute(raw, 7L);
        DataSet b = ShardReader.permute(raw, 7L);
        DataSet c = ShardReader.permute(raw, 8L);
        assertEquals(a.getFeatures(), b.getFeatures(), "same seed, same order");
        org.junit.jupiter.api.Assertions.assertNotEquals(a.getFeatures(), c.getFeatures(), "another seed, another order");
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int row = 0; row < 20; row++) {
            int original = (int) a.getFeatures().getDouble(row, 0, 0, 0);
            seen.add(original);
            assertEquals(2 * original, (int) a.getFeatures().getDouble(row, 0, 0, 1), "pixels move together");
            assertEquals(original % 4, a.getLabels().getRow(row).argMax().getInt(0), "label moves with its image");
        }
        assertEquals(20, seen.size(), "a permutation: nothing lost, nothing repeated");
    }
}
