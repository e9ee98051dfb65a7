package org.sparkcnn.pipeline.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Kryo 4 (Spark's) cannot build its field serializer for Java records, and our task and result types are
 * records. Routes every {@link Record} through Java serialisation; all of ours are small and Serializable.
 * Installed beside ND4J's registrator, which handles the arrays.
 */
public final class RecordKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        kryo.addDefaultSerializer(Record.class, new JavaSerializer());
    }
}
