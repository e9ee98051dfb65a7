package org.sparkcnn.pipeline.train.averaging;

import org.apache.spark.util.KnownSizeEstimation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkcnn.pipeline.input.PendingMinibatch;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.spark.ArrayBytes;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;

/**
 * A network's trainable state as it travels in an averaging round: the flat parameters and the updater state (none
 * for plain SGD). Serialised with the arrays streamed in bulk ({@link ArrayBytes}); ND4J's own Java serialisation
 * of arrays goes element by element. Our records that hold one go through Java serialisation under Spark's Kryo
 * too ({@code PipelineKryoRegistrator}), so this is the one place that decides how the arrays travel. Spark's
 * memory accounting of a broadcast round takes its arrays' bytes ({@link #estimatedSize()}) instead of walking
 * ND4J's object graph reflectively (see {@link PendingMinibatch}).
 */
public final class NetworkState implements Serializable, KnownSizeEstimation {
    private transient INDArray params;
    private transient INDArray updaterState;

    public NetworkState(INDArray params, INDArray updaterState) {
        this.params = params;
        this.updaterState = updaterState;
    }

    /** Copies of the network's arrays, safe to keep after the network trains on. */
    static NetworkState copyOf(Network network) {
        INDArray updater = network.updaterState();
        return new NetworkState(network.params().dup(), updater == null ? null : updater.dup());
    }

    /** The bytes of the parameters and updater state (held off-heap by ND4J), plus a little for the objects. */
    @Override
    public long estimatedSize() {
        return 256 + bytes(params) + bytes(updaterState);
    }

    private static long bytes(INDArray a) {
        return a == null ? 0 : 128 + a.length() * a.dataType().width();
    }

    INDArray params() {
        return params;
    }

    INDArray updaterState() {
        return updaterState;
    }

    /** The arrays' data size in bytes. */
    long bytes() {
        return params.length() * params.dataType().width()
                + (updaterState == null ? 0 : updaterState.length() * updaterState.dataType().width());
    }

    /**
     * {@code network}'s arrays copied into {@code reuse} when it has their shapes (a buffer of an earlier round),
     * else into new arrays ({@link #copyOf}); the same values either way.
     */
    static NetworkState copyOf(Network network, NetworkState reuse) {
        if (reuse == null || !reuse.fits(network.params(), network.updaterState())) {
            return copyOf(network);
        }
        reuse.params.assign(network.params());
        if (reuse.updaterState != null) {
            reuse.updaterState.assign(network.updaterState());
        }
        return reuse;
    }

    /** {@code other}'s arrays copied into this state's (which must have their shapes); returns this. */
    NetworkState assign(NetworkState other) {
        if (!fits(other.params, other.updaterState)) {
            throw new IllegalArgumentException("states of different shapes");
        }
        params.assign(other.params);
        if (updaterState != null) {
            updaterState.assign(other.updaterState);
        }
        return this;
    }

    private boolean fits(INDArray otherParams, INDArray otherUpdater) {
        return params.length() == otherParams.length() && params.dataType() == otherParams.dataType()
                && (updaterState == null ? otherUpdater == null
                : otherUpdater != null && updaterState.length() == otherUpdater.length()
                && updaterState.dataType() == otherUpdater.dataType());
    }

    /** A copy of this state's arrays. */
    NetworkState dup() {
        return new NetworkState(params.dup(), updaterState == null ? null : updaterState.dup());
    }

    /** Adds {@code other} into this state's arrays and returns this. */
    NetworkState addi(NetworkState other) {
        params.addi(other.params);
        if (updaterState != null) {
            updaterState.addi(other.updaterState);
        }
        return this;
    }

    /** Divides this state's arrays by {@code n} in place and returns this. */
    NetworkState divi(int n) {
        params.divi(n);
        if (updaterState != null) {
            updaterState.divi(n);
        }
        return this;
    }

    /** Copies this state into {@code network}'s parameters and updater. */
    void copyTo(Network network) {
        network.setParams(params);
        if (updaterState != null) {
            network.setUpdaterState(updaterState);
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
