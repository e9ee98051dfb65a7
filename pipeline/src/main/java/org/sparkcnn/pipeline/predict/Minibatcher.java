package org.sparkcnn.pipeline.predict;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.model.Network;

import java.util.ArrayList;
import java.util.List;

/**
 * Classifies a task's inputs in minibatches: one forward pass per {@code size} readable inputs, rows in input order,
 * unreadable inputs keeping their place with their reason. Only the pending minibatch's arrays are held.
 */
final class Minibatcher {
    private final Network network;
    private final List<String> classes;
    private final int size;
    private final List<Prediction> rows = new ArrayList<>();
    private final List<Integer> pendingRows = new ArrayList<>();
    private final List<PreparedInput> pending = new ArrayList<>();

    Minibatcher(Network network, List<String> classes, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("minibatch size " + size + " < 1");
        }
        this.network = network;
        this.classes = classes;
        this.size = size;
    }

    void add(PreparedInput input) {
        if (input.failure() != null) {
            rows.add(input.failure());
            return;
        }
        rows.add(null);
        pendingRows.add(rows.size() - 1);
        pending.add(input);
        if (pending.size() == size) {
            classifyPending();
        }
    }

    /** Every input's row, in the order added. */
    List<Prediction> finish() {
        classifyPending();
        return rows;
    }

    private void classifyPending() {
        if (pending.isEmpty()) {
            return;
        }
        INDArray batch = pending.size() == 1 ? pending.get(0).input()
                : Nd4j.concat(0, pending.stream().map(PreparedInput::input).toArray(INDArray[]::new));
        double[][] probabilities = network.output(batch).castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int i = 0; i < pending.size(); i++) {
            rows.set(pendingRows.get(i), PredictJob.predictionOf(pending.get(i).path(), probabilities[i], classes));
        }
        pending.clear();
        pendingRows.clear();
    }
}
