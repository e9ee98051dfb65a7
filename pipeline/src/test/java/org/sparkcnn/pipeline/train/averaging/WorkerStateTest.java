package org.sparkcnn.pipeline.train.averaging;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.model.ModelFactory;
import org.sparkcnn.pipeline.model.Network;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@link SparkAveragingTrainer}'s workers rely on: a round's broadcast ({@link RoundModel}) turns any network
 * of the same structure, fresh or reused from an earlier round, into the driver's network (the next update is the
 * same, Adam's moments and bias correction included); the pool hands reused networks to one task at a time; and
 * the round's sum adds only workers that fitted something.
 */
class WorkerStateTest {
    private static Network network(String... settings) {
        PipelineConfig c = ConfigLoader.load(null, List.of(settings));
        MultiLayerNetwork net = new MultiLayerNetwork(ModelFactory.build(c.model(), 16, 16, 3, 3, c.train(), 7));
        net.init();
        return Network.of(net);
    }

    private static DataSet batch(long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray labels = Nd4j.zeros(4, 3);
        for (int i = 0; i < 4; i++) {
            labels.putScalar(i, (int) ((i + seed) % 3), 1.0);
        }
        return new DataSet(Nd4j.rand(4, 3, 16, 16), labels);
    }

    @Test
    void aRoundModelMakesAnyNetworkOfTheStructureContinueExactlyLikeTheDriversNetwork() {
        Network driver = network("train.optimizer=adam");
        driver.fit(batch(1));
        driver.fit(batch(2));
        assertEquals(2, driver.iterationCount());
        String structure = driver.structureJson();
        assertEquals(2, driver.iterationCount(), "structureJson leaves the counters as they were");
        RoundModel round = RoundModel.of(driver, "k", structure);

        // a worker that trained elsewhere before (other parameters, moments and counter) and a fresh one
        Network reused = Network.fromStructureJson(structure, false);
        reused.fit(batch(9));
        Network fresh = Network.fromStructureJson(structure, false);
        for (Network worker : List.of(reused, fresh)) {
            round.applyTo(worker);
            assertEquals(driver.params(), worker.params());
            assertEquals(driver.updaterState(), worker.updaterState());
            assertEquals(2, worker.iterationCount());
        }
        driver.fit(batch(3));
        for (Network worker : List.of(reused, fresh)) {
            worker.fit(batch(3));
            assertTrue(driver.params().equalsWithEps(worker.params(), 1e-6),
                    "the next Adam step is the driver's: max difference " + driver.params().sub(worker.params()).amaxNumber());
        }
    }

    @Test
    void aRoundModelSurvivesSparksKryoAndJavaSerialisation() throws Exception {
        Network driver = network("train.optimizer=adam");
        driver.fit(batch(1));
        RoundModel round = RoundModel.of(driver, "run/k", driver.structureJson());
        var conf = org.sparkcnn.pipeline.spark.SparkSessionFactory.sparkConf(ConfigLoader.load(null, List.of()), "t");
        var kryo = new org.apache.spark.serializer.KryoSerializer(conf).newInstance();
        var tag = scala.reflect.ClassTag$.MODULE$.<RoundModel>apply(RoundModel.class);
        RoundModel viaJava = javaRoundTrip(round);
        for (RoundModel back : List.of(kryo.deserialize(kryo.serialize(round, tag), tag), viaJava)) {
            assertEquals("run/k", back.structureKey());
            Network worker = WorkerNetworkPool.borrow(back, WorkerNetworkPool.NO_DEVICE).network;
            back.applyTo(worker);
            assertEquals(driver.params(), worker.params());
            assertEquals(driver.updaterState(), worker.updaterState());
            assertEquals(1, worker.iterationCount());
        }
    }

    @Test
    void theStructureKeyIgnoresProgressButNotTheLearningRate() {
        Network net = network("train.optimizer=adam");
        String before = net.structureJson();
        net.fit(batch(1));
        assertEquals(before, net.structureJson(), "an update changes parameters, not the structure");
        net.setLearningRate(0.5);
        assertNotEquals(before, net.structureJson(), "a new learning rate is a new structure: workers rebuild");
    }

    @Test
    void thePoolReusesIdleNetworksOfTheRoundsStructureOnly() {
        Network driver = network();
        String json = driver.structureJson();
        RoundModel a = RoundModel.of(driver, "run/a", json);
        WorkerNetworkPool.PooledWorker first = WorkerNetworkPool.borrow(a, -1);
        WorkerNetworkPool.PooledWorker second = WorkerNetworkPool.borrow(a, -1);
        assertNotSame(first, second, "two concurrent tasks get two networks");
        WorkerNetworkPool.giveBack(a, -1, first);
        first.accumulator = new NetworkState(Nd4j.createFromArray(1f), Nd4j.createFromArray(2f));
        WorkerNetworkPool.PooledWorker again = WorkerNetworkPool.borrow(a, -1);
        assertSame(first, again, "the next round reuses the idle one");
        assertSame(first.network, again.network);
        assertSame(first.accumulator, again.accumulator, "with the exchange buffers it kept");
        WorkerNetworkPool.giveBack(a, -1, first);
        WorkerNetworkPool.giveBack(a, -1, second);
        assertEquals(2, WorkerNetworkPool.idle());
        RoundModel b = RoundModel.of(driver, "run/b", json);
        WorkerNetworkPool.PooledWorker other = WorkerNetworkPool.borrow(b, -1);
        assertNotSame(first, other);
        assertNotSame(second, other);
        assertEquals(0, WorkerNetworkPool.idle(), "another structure empties the pool");
        WorkerNetworkPool.giveBack(a, -1, first);
        assertEquals(0, WorkerNetworkPool.idle(), "a network of an older structure is not taken back");
    }

    @Test
    void aNetworkOnOneGpuIsNeverHandedToATaskBoundToAnother() {
        Network driver = network();
        RoundModel a = RoundModel.of(driver, "run/gpu", driver.structureJson());
        WorkerNetworkPool.PooledWorker onZero = WorkerNetworkPool.borrow(a, 0);
        WorkerNetworkPool.giveBack(a, 0, onZero);
        WorkerNetworkPool.PooledWorker onOne = WorkerNetworkPool.borrow(a, 1);
        assertNotSame(onZero, onOne, "a task on GPU 1 builds its own network");
        assertSame(onZero, WorkerNetworkPool.borrow(a, 0), "GPU 0's idle network waits for a task on GPU 0");
        WorkerNetworkPool.release("run/gpu");
    }

    @Test
    void aRoundSumAddsTheWorkersThatFittedAndSkipsEmptyOnes() {
        RoundSum one = new RoundSum(new NetworkState(Nd4j.createFromArray(1f, 2f), Nd4j.createFromArray(3f)),
                1.5, 8, 2, 6, 1, 2);
        RoundSum two = new RoundSum(new NetworkState(Nd4j.createFromArray(3f, 4f), Nd4j.createFromArray(5f)),
                0.5, 5, 1, 4, 1, 1);
        RoundSum sum = RoundSum.EMPTY.plus(one).plus(RoundSum.EMPTY).plus(two);
        assertEquals(Nd4j.createFromArray(4f, 6f), sum.state().params());
        assertEquals(Nd4j.createFromArray(8f), sum.state().updaterState());
        assertEquals(2.0, sum.lossSum(), 1e-12);
        assertEquals(13, sum.examples());
        assertEquals(3, sum.minibatches());
        assertEquals(10, sum.correct());
        RoundSum counted = new RoundSum(new NetworkState(Nd4j.createFromArray(1f), null), 1, 4, 1, 3, 1, 1);
        RoundSum uncounted = new RoundSum(new NetworkState(Nd4j.createFromArray(2f), null), 1, 4, 1, -1, 1, 1);
        assertEquals(-1, counted.plus(uncounted).correct(),
                "a worker that could not count makes the round's count unknown");
        assertEquals(2, sum.workers());
        assertEquals(2, sum.mostMinibatches(), "the round advances by the longest worker's updates");
        assertNull(RoundSum.EMPTY.plus(RoundSum.EMPTY).state());
        sum.state().divi(2);
        assertEquals(Nd4j.createFromArray(2f, 3f), sum.state().params(), "the mean over the 2 workers");
        assertEquals(Nd4j.createFromArray(4f), sum.state().updaterState());
    }

    @Test
    void aRoundSumTravelsWholeUnderSparksKryoAndJavaSerialisation() throws Exception {
        RoundSum sum = new RoundSum(new NetworkState(Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 300),
                Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 1, 600)), 2.5, 64, 2, 17, 1, 2);
        var conf = org.sparkcnn.pipeline.spark.SparkSessionFactory.sparkConf(ConfigLoader.load(null, List.of()), "t");
        var kryo = new org.apache.spark.serializer.KryoSerializer(conf).newInstance();
        var tag = scala.reflect.ClassTag$.MODULE$.<RoundSum>apply(RoundSum.class);
        RoundSum viaKryo = kryo.deserialize(kryo.serialize(sum, tag), tag);
        RoundSum viaJava = javaRoundTrip(sum);
        for (RoundSum back : List.of(viaKryo, viaJava)) {
            assertEquals(sum.state().params(), back.state().params());
            assertEquals(sum.state().updaterState(), back.state().updaterState());
            assertEquals(2.5, back.lossSum(), 0);
            assertEquals(64, back.examples());
            assertEquals(2, back.minibatches());
            assertEquals(17, back.correct());
            assertEquals(1, back.workers());
            assertEquals(2, back.mostMinibatches());
        }
        RoundSum empty = kryo.deserialize(kryo.serialize(RoundSum.EMPTY, tag), tag);
        assertNull(empty.state());
        assertEquals(0, empty.workers());
    }

    @Test
    void plainSgdHasNoUpdaterStateToAverage() {
        assertNull(network("train.optimizer=sgd", "train.momentum=0").updaterState());
        assertTrue(network("train.optimizer=sgd", "train.momentum=0.9").updaterState().length() > 0);
    }

    @SuppressWarnings("unchecked")
    private static <T extends java.io.Serializable> T javaRoundTrip(T value) throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
