package org.sparkcnn.pipeline.security;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.testing.LocalSpark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the guard installed, a Spark local job (task closures are Java-deserialised) runs as before, classes off the
 * allow-list included; a guarded read inside a task refuses a crafted model, and the driver sees the bad input.
 */
class GuardWithSparkTest {
    private static SparkSession spark;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        spark = LocalSpark.start("deserialisation guard");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static BadInputException badInputIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BadInputException b) {
                return b;
            }
        }
        return null;
    }

    @Test
    void sparkJobsRunAsBeforeAndAnExecutorsGuardedReadRefusesACraftedModel() throws Exception {
        byte[] list = Tripwire.serialise(new java.util.ArrayList<>(List.of("a")));
        assertEquals(List.of("a"), DeserializationGuard.read("warm-up", () -> Tripwire.deserialise(list)));
        assertNotNull(FilterInstaller.mode());

        // A closure capturing an object of a class off the list: each task Java-deserialises it, readObject included.
        Tripwire.RUNS.set(0);
        Tripwire captured = new Tripwire();
        List<String> out = sc.parallelize(List.of(1, 2, 3, 4), 2)
                .map(i -> captured.getClass().getSimpleName() + i).collect();
        assertEquals(List.of("Tripwire1", "Tripwire2", "Tripwire3", "Tripwire4"), out);
        assertTrue(Tripwire.RUNS.get() >= 2, "tasks deserialised the closure: " + Tripwire.RUNS.get());

        // On an executor, Network.read of a crafted zip is a bad input that reaches the driver.
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(2).nOut(2)
                        .activation(Activation.SOFTMAX).build()).build());
        net.init();
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, zipped, false);
        byte[] crafted = withEntry(zipped.toByteArray(), Tripwire.serialise(new Tripwire()));
        String uri = "hdfs://namenode/warehouse/run-3/checkpoints/epoch-0001/model.zip";
        Tripwire.RUNS.set(0);
        Exception e = assertThrows(Exception.class, () -> sc.parallelize(List.of(1), 1)
                .map(i -> Network.read(crafted, false, uri).numParams()).collect());
        BadInputException bad = badInputIn(e);
        assertNotNull(bad, "no BadInputException in " + e);
        assertTrue(bad.getMessage().startsWith(uri + " was refused") && bad.getMessage().contains(Tripwire.class.getName()),
                bad.getMessage());
        assertEquals(0, Tripwire.RUNS.get());

        // And the next job, on the same executor threads, is unaffected.
        assertEquals(List.of("Tripwire1"), sc.parallelize(List.of(1), 1)
                .map(i -> captured.getClass().getSimpleName() + i).collect());
        assertEquals(1, Tripwire.RUNS.get());
    }

    private static byte[] withEntry(byte[] zip, byte[] preprocessor) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip)); ZipOutputStream z = new ZipOutputStream(out)) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                z.putNextEntry(new ZipEntry(e.getName()));
                z.write(in.readAllBytes());
            }
            z.putNextEntry(new ZipEntry(ModelSerializer.PREPROCESSOR_BIN));
            z.write(preprocessor);
        }
        return out.toByteArray();
    }
}
