package org.sparkcnn.pipeline.input;

import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.augment.AugmentConfig;
import org.sparkcnn.pipeline.augment.DataSetAugmenter;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.spark.SparkSessionFactory;
import org.sparkcnn.pipeline.train.averaging.NetworkState;
import org.sparkcnn.pipeline.train.averaging.RoundModel;
import scala.reflect.ClassTag;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A pending minibatch crosses the epoch's shuffle: it must come back exactly, 8-bit pixels and ids. */
class PendingMinibatchTest {
    private static final ClassTag<PendingMinibatch> TAG = scala.reflect.ClassTag$.MODULE$.apply(PendingMinibatch.class);

    @Test
    void storedExamplesAndIdsSurviveSparksKryoAsThePipelineConfiguresItAndJavaSerialization() {
        var conf = SparkSessionFactory.sparkConf(ConfigLoader.load(null, List.of()), "PendingMinibatchTest");
        PendingMinibatch pending = PendingMinibatch.of(storedExamples(), new long[] {11, -4, 7, Long.MAX_VALUE, 0});
        for (SerializerInstance serializer : List.of(new KryoSerializer(conf).newInstance(),
                new JavaSerializer(conf).newInstance())) {
            PendingMinibatch back = serializer.deserialize(serializer.serialize(pending, TAG), TAG);
            assertEquals(DataType.UBYTE, back.examples().getFeatures().dataType(), "the shuffle carries 8-bit pixels");
            assertEquals(pending.examples().getFeatures(), back.examples().getFeatures());
            assertEquals(pending.examples().getLabels(), back.examples().getLabels());
            assertArrayEquals(pending.exampleIds(), back.exampleIds());
        }
    }

    @Test
    void kryoMovesAQuarterOfTheBytesOfTheFinishedFloatMinibatch() {
        var conf = SparkSessionFactory.sparkConf(ConfigLoader.load(null, List.of()), "PendingMinibatchTest");
        SerializerInstance kryo = new KryoSerializer(conf).newInstance();
        PendingMinibatch pending = PendingMinibatch.of(storedExamples(), new long[] {1, 2, 3, 4, 5});
        DataSet finished = new DataSetAugmenter(AugmentConfig.defaults()).augment(pending.examples(),
                pending.exampleIds(), 42, 1);
        int pendingBytes = kryo.serialize(pending, TAG).remaining();
        int finishedBytes = kryo.serialize(finished, scala.reflect.ClassTag$.MODULE$.apply(DataSet.class)).remaining();
        assertTrue(pendingBytes < finishedBytes / 3, pendingBytes + " bytes pending vs " + finishedBytes + " finished");
    }

    @Test
    void aFinishedMinibatchHasNoIdsAndIdsMustMatchTheExamples() {
        DataSet ready = storedExamples();
        PendingMinibatch finished = PendingMinibatch.finished(ready);
        assertTrue(finished.isFinished());
        assertNull(finished.exampleIds());
        assertSame(ready, finished.examples());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PendingMinibatch.of(ready, new long[] {1, 2}));
        assertTrue(e.getMessage().contains("2 example ids for 5 examples"), e.getMessage());
    }

    @Test
    void sparksMemoryAccountingCountsTheArraysBytesWithoutWalkingNd4jsObjects() {
        PendingMinibatch pending = PendingMinibatch.of(storedExamples(), new long[] {1, 2, 3, 4, 5});
        long arrays = 5L * 3 * 16 * 16 + 5L * 5 * 4 + 5L * 8; // 8-bit pixels, float labels, ids
        long estimate = org.apache.spark.util.SizeEstimator.estimate(pending);
        assertEquals(pending.estimatedSize(), estimate, "Spark's SizeEstimator takes the minibatch's own size");
        assertTrue(estimate >= arrays && estimate < arrays + 2048, estimate + " bytes for " + arrays + " of arrays");

        NetworkState state = new NetworkState(Nd4j.create(DataType.FLOAT, 1, 1000), Nd4j.create(DataType.FLOAT, 1, 2000));
        RoundModel round = new RoundModel("k", "{}", false, state, 3, 1);
        long roundEstimate = org.apache.spark.util.SizeEstimator.estimate(round);
        assertTrue(roundEstimate >= 12_000 && roundEstimate < 12_000 + 4096,
                roundEstimate + " bytes for a broadcast round of 12,000 bytes of arrays");
        assertEquals(256 + 128 + 4000, new NetworkState(Nd4j.create(DataType.FLOAT, 1, 1000), null).estimatedSize(),
                "plain SGD: no updater state");
    }

    private static DataSet storedExamples() {
        Nd4j.getRandom().setSeed(3);
        INDArray pixels = Nd4j.rand(DataType.FLOAT, 5, 3, 16, 16).muli(255).castTo(DataType.UBYTE);
        return new DataSet(pixels, Nd4j.eye(5).castTo(DataType.FLOAT));
    }
}
