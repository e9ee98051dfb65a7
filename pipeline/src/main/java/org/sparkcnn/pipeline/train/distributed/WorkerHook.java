package org.sparkcnn.pipeline.train.distributed;

import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.api.DataSet;

import java.io.Serializable;

/**
 * Runs inside a training task around every minibatch update, whichever trainer runs the round (tests inject
 * faults this way: throwing fails the task attempt, and Spark retries it).
 */
public interface WorkerHook extends Serializable {
    default void beforeMinibatch(DataSet minibatch, Model network) {
    }

    default void afterMinibatch(DataSet minibatch, Model network) {
    }
}
