package org.sparkcnn.pipeline.predict;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.List;

/** One predict input after reading, decoding and preprocessing: the network's input, or the row saying why not. */
record PreparedInput(String path, INDArray input, Prediction failure) {

    static PreparedInput of(String path, INDArray input) {
        return new PreparedInput(path, input, null);
    }

    static PreparedInput failed(String path, String reason) {
        return new PreparedInput(path, null, new Prediction(path, List.of(), List.of(), reason));
    }
}
