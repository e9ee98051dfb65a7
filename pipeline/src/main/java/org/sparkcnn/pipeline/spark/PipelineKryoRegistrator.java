package org.sparkcnn.pipeline.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The pipeline's Kryo registrations, installed after ND4J's registrator ({@code spark.kryo.registrator}):
 * <ul>
 *   <li>Kryo 4 (Spark's) cannot build its field serializer for Java records, and our task and result types are
 *       records: every {@link Record} goes through Java serialisation; all of ours are small and Serializable.</li>
 *   <li>ND4J arrays (minibatches in the training shuffle, anything else Spark moves) take {@link NdArrayKryoSerializer},
 *       which copies the data buffer in bulk; ND4J's own serializer writes it element by element.</li>
 * </ul>
 */
public final class PipelineKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.addDefaultSerializer(Record.class, new JavaSerializer());
        kryo.register(Nd4j.getBackend().getNDArrayClass(), new NdArrayKryoSerializer());
    }
}
