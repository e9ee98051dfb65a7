package org.sparkcnn.pipeline.predict;

import java.io.Serializable;

/**
 * One image to classify: its URI and, when the driver read it for executors that cannot (a driver-local file on a
 * cluster whose executors run on other machines), its bytes. Without bytes the executor reads the URI itself.
 */
public record PredictionInput(String path, byte[] shipped) implements Serializable {
    public static PredictionInput byPath(String path) {
        return new PredictionInput(path, null);
    }
}
