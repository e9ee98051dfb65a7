package org.sparkcnn.pipeline.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * The pipeline's Kryo registrations ({@code spark.kryo.registrator}), the only registrator on both Spark lines (ND4J's
 * {@code Nd4jRegistrator} ships in dl4j-spark, which is Scala 2.12 only):
 * <ul>
 *   <li>ND4J arrays (minibatches in the training shuffle, anything else Spark moves) take {@link NdArrayKryoSerializer},
 *       which copies the data buffer in bulk; ND4J's own serializer writes it element by element.</li>
 *   <li>Kryo 4 (Spark's, on both lines) cannot build its field serializer for Java records, and our task and result
 *       types are records: every {@link Record} goes through Java serialisation; all of ours are small and
 *       Serializable.</li>
 *   <li>The JDK's unmodifiable, immutable ({@code List.of}) and synchronized collections have no no-argument
 *       constructor for Kryo's collection serializers; they go through Java serialisation too (what ND4J's
 *       registrator did with its extra serializers).</li>
 * </ul>
 */
public final class PipelineKryoRegistrator implements KryoRegistrator {
    /** JDK collection wrappers Kryo cannot rebuild; each covers its subclasses. */
    static final List<String> JAVA_SERIALISED_COLLECTIONS = List.of(
            "java.util.Collections$UnmodifiableCollection", "java.util.Collections$UnmodifiableMap",
            "java.util.Collections$SynchronizedCollection", "java.util.Collections$SynchronizedMap",
            "java.util.ImmutableCollections$AbstractImmutableCollection",
            "java.util.ImmutableCollections$AbstractImmutableMap");

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(Nd4j.getBackend().getNDArrayClass(), new NdArrayKryoSerializer());
        kryo.addDefaultSerializer(Record.class, new JavaSerializer());
        for (String name : JAVA_SERIALISED_COLLECTIONS) {
            try {
                kryo.addDefaultSerializer(Class.forName(name), new JavaSerializer());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("this JDK has no " + name + "; PipelineKryoRegistrator needs updating", e);
            }
        }
    }
}
