package org.sparkcnn.pipeline.train;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkcnn.pipeline.spark.ArrayBytes;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * The sum of what the workers of one round return (tree-aggregated): parameters and updater state summed over the
 * workers that fitted at least one minibatch, their minibatch losses, examples and minibatches, and the most
 * minibatches any one worker fitted (the number of updates the round advances the network by). Travels as a task
 * result with its arrays in the bulk {@link ArrayBytes} format, under Kryo and Java serialisation alike (ND4J's own
 * array serialisation goes element by element).
 */
final class RoundSum implements Serializable, KryoSerializable {
    static final RoundSum EMPTY = new RoundSum(null, null, 0, 0, 0, 0, 0);

    private transient INDArray params;
    private transient INDArray updaterState;
    private double lossSum;
    private long examples;
    private long minibatches;
    private int workers;
    private long mostMinibatches;

    /** For Kryo. */
    private RoundSum() {
    }

    RoundSum(INDArray params, INDArray updaterState, double lossSum, long examples, long minibatches, int workers,
             long mostMinibatches) {
        this.params = params;
        this.updaterState = updaterState;
        this.lossSum = lossSum;
        this.examples = examples;
        this.minibatches = minibatches;
        this.workers = workers;
        this.mostMinibatches = mostMinibatches;
    }

    /** Both sums together; may reuse (add into) this sum's arrays, as Spark's aggregate allows. */
    RoundSum plus(RoundSum other) {
        if (other.workers == 0) {
            return this;
        }
        if (workers == 0) {
            return other;
        }
        return new RoundSum(params.addi(other.params),
                updaterState == null ? null : updaterState.addi(other.updaterState),
                lossSum + other.lossSum, examples + other.examples, minibatches + other.minibatches,
                workers + other.workers, Math.max(mostMinibatches, other.mostMinibatches));
    }

    INDArray params() {
        return params;
    }

    INDArray updaterState() {
        return updaterState;
    }

    double lossSum() {
        return lossSum;
    }

    long examples() {
        return examples;
    }

    long minibatches() {
        return minibatches;
    }

    int workers() {
        return workers;
    }

    long mostMinibatches() {
        return mostMinibatches;
    }

    @Override
    public void write(Kryo kryo, Output output) {
        output.writeDouble(lossSum);
        output.writeLong(examples);
        output.writeLong(minibatches);
        output.writeInt(workers);
        output.writeLong(mostMinibatches);
        try {
            ArrayBytes.writeNullable(params, output);
            ArrayBytes.writeNullable(updaterState, output);
        } catch (IOException e) {
            throw new KryoException(e);
        }
    }

    @Override
    public void read(Kryo kryo, Input input) {
        lossSum = input.readDouble();
        examples = input.readLong();
        minibatches = input.readLong();
        workers = input.readInt();
        mostMinibatches = input.readLong();
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
