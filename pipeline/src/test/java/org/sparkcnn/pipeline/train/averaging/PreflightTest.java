package org.sparkcnn.pipeline.train.averaging;

import org.apache.spark.SparkConf;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.model.ModelFactory;
import org.sparkcnn.pipeline.spark.SparkSessionFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreflightTest {

    @Test
    void aMisfitNamesTheSettingToRaiseAndHowFar() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> Preflight.checkFits(600L << 20, 4, 2L << 30, "spark.executor.memoryOverhead"));
        assertTrue(e.getMessage().contains("raise spark.executor.memoryOverhead to at least 2.9 GiB"), e.getMessage());
        Preflight.checkFits(100L << 20, 4, 2L << 30, "x");
    }

    @Test
    void theDriverMustReceiveEveryWorkersParametersEachRound() {
        long vgg16Adam = 138_357_544L * 3 * 4; // parameters + Adam's two moments, floats
        BadInputException tooSmall = assertThrows(BadInputException.class,
                () -> Preflight.checkDriver(vgg16Adam, 2, 1L << 30, 64L << 30, false, false));
        assertTrue(tooSmall.getMessage().contains("spark.driver.maxResultSize"), tooSmall.getMessage());
        BadInputException heap = assertThrows(BadInputException.class,
                () -> Preflight.checkDriver(vgg16Adam, 2, 0, 4L << 30, false, false));
        assertTrue(heap.getMessage().contains("spark.driver.memory"), heap.getMessage());
        Preflight.checkDriver(vgg16Adam, 2, 0, 7L << 30, false, false);
        assertThrows(BadInputException.class, () -> Preflight.checkDriver(vgg16Adam, 2, 0, 7L << 30, true, false),
                "in local mode the tasks' serialised results share the driver's heap");
        Preflight.checkDriver(744_000, 2, 1L << 30, 1L << 30, true, false); // LeNet with Adam: nothing to worry about
        // barrier jobs in a local master hand the state over in the JVM: no result carries it, only the broadcast
        Preflight.checkDriver(vgg16Adam, 2, 1L << 30, 3L << 30, true, true);
        BadInputException broadcast = assertThrows(BadInputException.class,
                () -> Preflight.checkDriver(vgg16Adam, 2, 0, 1L << 30, true, true));
        assertTrue(broadcast.getMessage().contains("broadcast model") && broadcast.getMessage().contains("spark.driver.memory"),
                broadcast.getMessage());
    }

    @Test
    void memoryEstimateGrowsWithTheModelAndTheBatch() {
        PipelineConfig c = ConfigLoader.load(null, List.of());
        MultiLayerNetwork smallNet = new MultiLayerNetwork(ModelFactory.build("lenet", 32, 32, 3, 4, c.train(), 1));
        smallNet.init();
        MultiLayerNetwork bigNet = new MultiLayerNetwork(ModelFactory.build("arctic", 200, 200, 3, 101, c.train(), 1));
        bigNet.init();
        org.sparkcnn.pipeline.model.Network small = org.sparkcnn.pipeline.model.Network.of(smallNet);
        org.sparkcnn.pipeline.model.Network big = org.sparkcnn.pipeline.model.Network.of(bigNet);
        long s = Preflight.perWorkerBytes(small, InputType.convolutional(32, 32, 3), 32);
        long b = Preflight.perWorkerBytes(big, InputType.convolutional(200, 200, 3), 32);
        assertTrue(s > small.numParams() * 8, "at least params and gradients");
        assertTrue(b > 10 * s, s + " vs " + b);
        assertTrue(Preflight.perWorkerBytes(small, InputType.convolutional(32, 32, 3), 256) > s, "bigger batch, more memory");

        long state = Preflight.roundResultBytes(small);
        assertEquals(0, Preflight.exchangeBytes(small, 2, false, true), "a job per round holds no exchange copies");
        assertEquals(2 * state, Preflight.exchangeBytes(small, 2, true, true), "in the JVM: its report and the sum");
        assertEquals(6 * state, Preflight.exchangeBytes(small, 4, true, false), "allGather: and every worker's report");
    }

    @Test
    void javacppSizesAndJavaOptionsParse() {
        String maxBytes = "org.bytedeco.javacpp.maxbytes";
        long heap = 4L << 30;
        assertEquals(6L << 30, Preflight.executorBytes("-Xss4m -Dorg.bytedeco.javacpp.maxbytes=6G -Dfoo=1", maxBytes, heap, 0));
        assertEquals(512L << 20, Preflight.executorBytes("-Dorg.bytedeco.javacpp.maxbytes=512m", maxBytes, heap, 0));
        assertEquals(7, Preflight.executorBytes("-Xss4m", maxBytes, heap, 7));
        assertEquals(7, Preflight.executorBytes("-Dorg.bytedeco.javacpp.maxbytes=", maxBytes, heap, 7), "empty: default");
        // every form JavaCPP accepts; a percentage of the executor heap (spark.executor.memory)
        for (String six : List.of("6GB", "6g", "6G", "6gb", "6144m", "6144MB", "6291456k", "6442450944", "150%")) {
            assertEquals(6L << 30, Preflight.executorBytes("-Dorg.bytedeco.javacpp.maxbytes=" + six, maxBytes, heap, 0), six);
        }
        assertEquals(0, Preflight.executorBytes("-Dorg.bytedeco.javacpp.maxbytes=0", maxBytes, heap, 7), "0: no limit");
        assertEquals(10L << 30, Preflight.executorBytes("-Dorg.bytedeco.javacpp.maxPhysicalBytes=10G",
                "org.bytedeco.javacpp.maxphysicalbytes", heap, 0));
        for (String bad : List.of("6GiB", "6.5g", "-1", "lots", "99999999999t")) {
            BadInputException e = assertThrows(BadInputException.class, () -> Preflight.executorBytes(
                    "-Dorg.bytedeco.javacpp.maxbytes=" + bad, maxBytes, heap, 0), bad);
            assertTrue(e.getMessage().contains("-Dorg.bytedeco.javacpp.maxbytes=" + bad)
                    && e.getMessage().contains("spark.executor.memory"), e.getMessage());
        }
    }

    @Test
    void theJobsSerializerRoundTripsNd4jArrays() {
        SparkConf conf = SparkSessionFactory.sparkConf(ConfigLoader.load(null, List.of()), "preflight");
        Preflight.checkSerializer(conf);
    }

    @Test
    void javaSerializationWithoutTheRegistratorIsStillChecked() {
        SparkConf conf = new SparkConf(false).set("spark.kryo.registrator", "no.such.Registrator");
        BadInputException e = assertThrows(BadInputException.class, () -> Preflight.checkSerializer(conf));
        assertTrue(e.getMessage().contains("spark.kryo.registrator"), e.getMessage());
    }

    @Test
    void workersPerExecutorFollowWhatTheClusterManagerGives() {
        SparkConf none = new SparkConf(false);
        assertEquals(1, Preflight.workersPerExecutor(none, "yarn", 8, 8, 8), "YARN's default: 1 core per executor");
        assertEquals(1, Preflight.workersPerExecutor(none, "k8s://https://kube:6443", 8, 8, 8));
        assertEquals(4, Preflight.workersPerExecutor(none, "spark://m:7077", 8, 2, 8),
                "standalone gives an executor all its worker's cores: 8 cores over 2 executors");
        assertEquals(8, Preflight.workersPerExecutor(none, "spark://m:7077", 8, 0, 0),
                "before any executor registered: every worker in one JVM, the worst case");
        SparkConf four = new SparkConf(false).set("spark.executor.cores", "4");
        assertEquals(4, Preflight.workersPerExecutor(four, "yarn", 8, 2, 8));
        assertEquals(2, Preflight.workersPerExecutor(four, "yarn", 2, 2, 8), "never more than the workers");
        assertEquals(2, Preflight.workersPerExecutor(four.clone().set("spark.task.cpus", "2"), "yarn", 8, 2, 8),
                "spark.task.cpus = 2: 4 cores run 2 tasks");
        assertEquals(1, Preflight.workersPerExecutor(new SparkConf(false).set("spark.task.cpus", "2"), "yarn", 8, 2, 8),
                "at least one");
    }

    @Test
    void eachExecutorsLineIsPrintedOnceOnALocalMaster() {
        var spark = org.sparkcnn.pipeline.testing.LocalSpark.start("preflight-lines");
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(err, true));
            Preflight.reportExecutors(org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()),
                    new java.io.PrintStream(out, true));
        } finally {
            System.setErr(stderr);
            spark.stop();
        }
        assertEquals(1, out.toString().lines().filter(l -> l.startsWith("preflight: executor driver:")).count(), out.toString());
        assertTrue(err.toString().lines().noneMatch(l -> l.contains("spark-cnn preflight")),
                "the local executor is the driver, which printed it already: " + err);
    }
}
