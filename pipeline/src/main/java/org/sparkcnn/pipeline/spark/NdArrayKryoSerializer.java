package org.sparkcnn.pipeline.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;

/** Kryo serializer for ND4J arrays in the {@link ArrayBytes} format (the data buffer streamed in bulk). */
public final class NdArrayKryoSerializer extends Serializer<INDArray> {
    @Override
    public void write(Kryo kryo, Output output, INDArray array) {
        try {
            ArrayBytes.write(array, output);
        } catch (IOException e) {
            throw new KryoException(e);
        }
    }

    @Override
    public INDArray read(Kryo kryo, Input input, Class<INDArray> type) {
        try {
            return ArrayBytes.read(input);
        } catch (IOException e) {
            throw new KryoException(e);
        }
    }
}
