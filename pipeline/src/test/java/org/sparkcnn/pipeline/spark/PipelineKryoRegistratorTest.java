package org.sparkcnn.pipeline.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.config.ConfigLoader;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Spark's Kryo with our registrator alone (what the pipeline sets on both Spark lines, ND4J's registrator being in
 * the Scala 2.12-only dl4j-spark): arrays, records and the JDK's collection wrappers come back equal. Without the
 * registrator, Kryo fails on the records and wrappers, so the registrations are what make these pass.
 */
class PipelineKryoRegistratorTest {
    record Holder(String name, List<Integer> values, Map<String, Long> counts) implements Serializable {}

    /** A plain class (Kryo's field serializer) holding the wrappers. */
    static final class Plain {
        List<String> unmodifiable = Collections.unmodifiableList(new ArrayList<>(List.of("a", "b")));
        List<Integer> immutable = List.of(1, 2, 3);
        Map<String, Integer> immutableMap = Map.of("x", 1);
        Map<String, Integer> synchronizedMap = Collections.synchronizedMap(new HashMap<>(Map.of("y", 2)));
    }

    private static SerializerInstance kryo(boolean withRegistrator) {
        SparkConf conf = SparkSessionFactory.sparkConf(ConfigLoader.load(null, List.of()), "kryo-test");
        assertEquals(PipelineKryoRegistrator.class.getName(), conf.get("spark.kryo.registrator"),
                "our registrator is the only one, on either Spark line");
        if (!withRegistrator) {
            conf.remove("spark.kryo.registrator");
        }
        return new KryoSerializer(conf).newInstance();
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(SerializerInstance ser, T value) {
        var tag = scala.reflect.ClassTag$.MODULE$.<T>apply((Class<T>) value.getClass());
        return ser.deserialize(ser.serialize(value, tag), tag);
    }

    @Test
    void arraysRecordsAndCollectionWrappersComeBackEqual() {
        SerializerInstance ser = kryo(true);
        INDArray a = Nd4j.linspace(DataType.FLOAT, 1, 24, 1).reshape(2, 3, 4);
        assertEquals(a, roundTrip(ser, a));
        Holder h = new Holder("h", List.of(1, 2), Map.of("k", 3L));
        assertEquals(h, roundTrip(ser, h));
        Plain p = roundTrip(ser, new Plain());
        assertEquals(List.of("a", "b"), p.unmodifiable);
        assertEquals(List.of(1, 2, 3), p.immutable);
        assertEquals(Map.of("x", 1), p.immutableMap);
        assertEquals(Map.of("y", 2), p.synchronizedMap);
    }

    @Test
    void withoutItKryoCannotRebuildTheWrappers() {
        SerializerInstance ser = kryo(false);
        assertThrows(RuntimeException.class, () -> roundTrip(ser, new Plain()));
    }
}
