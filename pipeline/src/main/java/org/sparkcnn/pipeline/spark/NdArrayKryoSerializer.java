package org.sparkcnn.pipeline.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Kryo serializer for ND4J arrays in the {@link ArrayBytes} format (the data buffer copied in bulk). */
public final class NdArrayKryoSerializer extends Serializer<INDArray> {
    @Override
    public void write(Kryo kryo, Output output, INDArray array) {
        byte[] bytes = ArrayBytes.toBytes(array);
        output.writeInt(bytes.length, true);
        output.writeBytes(bytes);
    }

    @Override
    public INDArray read(Kryo kryo, Input input, Class<INDArray> type) {
        int length = input.readInt(true);
        return ArrayBytes.fromBytes(input.readBytes(length));
    }
}
