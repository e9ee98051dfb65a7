package org.sparkcnn.pipeline.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkcnn.pipeline.spark.ArrayBytes;
import org.sparkcnn.pipeline.model.Network;

import java.io.Serializable;

/**
 * What one averaging round broadcasts: the network's structure (configuration JSON with its counters zeroed, and
 * a key naming it), the averaged parameters and updater state as bytes, and the update counters. Arrays travel as
 * bytes, never as broadcast {@code INDArray}s: Spark closes {@link AutoCloseable} broadcast values when it cleans
 * them up, and in local mode that value would be shared with the driver (see {@link DistributedEvaluator}).
 */
record RoundModel(String structureKey, String structureJson, boolean graph, byte[] params, byte[] updaterState,
                  int iterationCount, int epochCount) implements Serializable {

    static RoundModel of(Network network, String structureKey, String structureJson) {
        INDArray updater = network.updaterState();
        return new RoundModel(structureKey, structureJson, network.isGraph(), bytes(network.params()),
                updater == null ? null : bytes(updater), network.iterationCount(), network.epochCount());
    }

    /** Puts this round's starting point into {@code worker}: parameters, updater state and counters. */
    void applyTo(Network worker) {
        worker.setParams(array(params));
        if (updaterState != null) {
            worker.setUpdaterState(array(updaterState));
        }
        worker.setIterationCount(iterationCount);
        worker.setEpochCount(epochCount);
    }

    static byte[] bytes(INDArray array) {
        return ArrayBytes.toBytes(array);
    }

    static INDArray array(byte[] bytes) {
        return ArrayBytes.fromBytes(bytes);
    }
}
