package org.sparkcnn.pipeline.cli;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkcnn.pipeline.security.Tripwire;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint whose model.zip carries a Java-serialised object off the allow-list: predict and evaluate exit 2 naming it. */
class CraftedModelCliTest {
    @TempDir
    Path tmp;

    private final CapturedCli cli = new CapturedCli();

    private static ShardManifest manifest(String runId) {
        return new ShardManifest(ShardManifest.FORMAT_VERSION, runId, "file:/corpus", "directory", List.of("a", "b"), 4,
                4, 1, "stretch", 1, "h", "v", "t", 0, 0, 0, 0, Map.of(), List.of(), "", null, "");
    }

    /** A run with a committed (empty) ingest and checkpoint epoch-0001 whose model.zip holds a crafted preprocessor.bin. */
    private Path craftedCheckpoint() throws Exception {
        Storage storage = Storage.of(new Configuration());
        String warehouse = tmp.toUri().toString();
        for (String runId : List.of("model-run", "eval-run")) {
            new ManifestStore(storage).commit(RunLayout.of(warehouse, runId), manifest(runId));
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(2)
                        .activation(Activation.SOFTMAX).build()).build());
        net.init();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, zip, true);
        ByteArrayOutputStream crafted = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.toByteArray()));
             ZipOutputStream z = new ZipOutputStream(crafted)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(in.readAllBytes());
            }
            z.putNextEntry(new ZipEntry(ModelSerializer.PREPROCESSOR_BIN));
            z.write(Tripwire.serialise(new Tripwire()));
        }
        Path checkpoint = tmp.resolve("model-run/checkpoints/epoch-0001");
        Files.createDirectories(checkpoint);
        Files.write(checkpoint.resolve("model.zip"), crafted.toByteArray());
        return checkpoint;
    }

    private void assertRefusedNaming(Path checkpoint) {
        String stderr = cli.stderr();
        assertTrue(stderr.contains("model-run/checkpoints/epoch-0001/model.zip was refused"), stderr);
        assertTrue(stderr.contains(Tripwire.class.getName()) && stderr.contains("do not load files of unknown origin"), stderr);
        assertEquals(0, Tripwire.RUNS.get());
        assertTrue(Files.exists(checkpoint.resolve("model.zip")));
    }

    @Test
    void predictAndEvaluateWithACraftedCheckpointExitTwoNamingTheFile() throws Exception {
        Path checkpoint = craftedCheckpoint();
        Tripwire.RUNS.set(0);
        assertEquals(2, cli.run("predict", "--model", checkpoint.toString(), "--set", "spark.master=local[1]",
                "--set", "output.uri=" + tmp.toUri(), tmp.resolve("photo.jpg").toString()));
        assertRefusedNaming(checkpoint);
        cli.err.reset();
        assertEquals(2, cli.run("evaluate", "--run-id", "eval-run", "--checkpoint", checkpoint.toString(),
                "--set", "spark.master=local[1]", "--set", "output.uri=" + tmp.toUri()));
        assertRefusedNaming(checkpoint);
    }
}
