package org.sparkcnn.pipeline.security;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.shards.DataSetCodec;
import org.sparkcnn.pipeline.shards.ShardReader;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DataSet files that ND4J reads with Java deserialisation (label names, example metadata) go through the guard. */
class CraftedShardTest {
    @TempDir
    Path tmp;

    private static byte[] saved(DataSet ds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ds.save(out);
        return out.toByteArray();
    }

    private static DataSet data() {
        return new DataSet(Nd4j.rand(3, 4), Nd4j.eye(3));
    }

    @Test
    void labelNamesStillLoad() throws IOException {
        for (List<String> names : LegitimateStreams.labelNames()) {
            DataSet ds = data();
            ds.setLabelNames(names);
            DataSet back = DataSetCodec.read(new ByteArrayInputStream(saved(ds)), "file:/shards/part-00000.bin");
            if (!names.isEmpty()) {
                assertEquals(names, back.getLabelNamesList());
            }
        }
    }

    @Test
    void exampleMetadataOffTheListIsABadInputNamingTheShard() throws IOException {
        DataSet ds = data();
        ds.setExampleMetaData(List.of(new Tripwire(), new Tripwire(), new Tripwire()));
        Path shard = tmp.resolve("part-00007.bin");
        Files.write(shard, saved(ds));
        Tripwire.RUNS.set(0);
        BadInputException e = assertThrows(BadInputException.class,
                () -> ShardReader.readRaw(Storage.of(new Configuration()), shard.toUri().toString()));
        assertTrue(e.getMessage().contains("part-00007.bin was refused") && e.getMessage().contains(Tripwire.class.getName()),
                e.getMessage());
        assertEquals(0, Tripwire.RUNS.get());
    }
}
