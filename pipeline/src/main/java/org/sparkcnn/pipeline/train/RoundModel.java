package org.sparkcnn.pipeline.train;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.spark.ArrayBytes;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * What one averaging round broadcasts: the network's structure (configuration JSON with its counters zeroed, and
 * a key naming it), the parameters and updater state, and the update counters. The arrays are the driver network's
 * own, not copies: the driver does not touch them while the round runs, and in local mode the tasks read this very
 * object. This class is not {@link AutoCloseable}, so Spark's clean-up of the broadcast never closes them (it
 * closes {@code AutoCloseable} broadcast values; see {@link DistributedEvaluator}). On the wire the arrays are
 * streamed in bulk ({@link ArrayBytes}) under Kryo and Java serialisation alike.
 */
final class RoundModel implements Serializable, KryoSerializable {
    private String structureKey;
    private String structureJson;
    private boolean graph;
    private transient INDArray params;
    private transient INDArray updaterState;
    private int iterationCount;
    private int epochCount;

    /** For Kryo. */
    private RoundModel() {
    }

    private RoundModel(String structureKey, String structureJson, boolean graph, INDArray params,
                       INDArray updaterState, int iterationCount, int epochCount) {
        this.structureKey = structureKey;
        this.structureJson = structureJson;
        this.graph = graph;
        this.params = params;
        this.updaterState = updaterState;
        this.iterationCount = iterationCount;
        this.epochCount = epochCount;
    }

    static RoundModel of(Network network, String structureKey, String structureJson) {
        return new RoundModel(structureKey, structureJson, network.isGraph(), network.params(),
                network.updaterState(), network.iterationCount(), network.epochCount());
    }

    String structureKey() {
        return structureKey;
    }

    String structureJson() {
        return structureJson;
    }

    boolean graph() {
        return graph;
    }

    /** Puts this round's starting point into {@code worker}: parameters, updater state and counters. */
    void applyTo(Network worker) {
        worker.setParams(params);
        if (updaterState != null) {
            worker.setUpdaterState(updaterState);
        }
        worker.setIterationCount(iterationCount);
        worker.setEpochCount(epochCount);
    }

    @Override
    public void write(Kryo kryo, Output output) {
        output.writeString(structureKey);
        output.writeString(structureJson);
        output.writeBoolean(graph);
        output.writeInt(iterationCount);
        output.writeInt(epochCount);
        try {
            ArrayBytes.writeNullable(params, output);
            ArrayBytes.writeNullable(updaterState, output);
        } catch (IOException e) {
            throw new KryoException(e);
        }
    }

    @Override
    public void read(Kryo kryo, Input input) {
        structureKey = input.readString();
        structureJson = input.readString();
        graph = input.readBoolean();
        iterationCount = input.readInt();
        epochCount = input.readInt();
        try {
            params = ArrayBytes.readNullable(input);
            updaterState = ArrayBytes.readNullable(input);
        } catch (IOException e) {
            throw new KryoException(e);
        }
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        ArrayBytes.writeNullable(params, out);
        ArrayBytes.writeNullable(updaterState, out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        params = ArrayBytes.readNullable(in);
        updaterState = ArrayBytes.readNullable(in);
    }
}
