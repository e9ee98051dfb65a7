package org.sparkcnn.pipeline.evaluate;

import org.nd4j.evaluation.classification.Evaluation;

import java.io.Serializable;

/** Classification metrics and mean loss from one distributed pass over a split. */
public record EvaluationPass(Evaluation evaluation, double lossSum, long examples) implements Serializable {

    /** Mean loss per example (regularisation included, as Keras reports it); NaN for an empty split. */
    public double meanLoss() {
        return examples == 0 ? Double.NaN : lossSum / examples;
    }

    EvaluationPass merge(EvaluationPass other) {
        evaluation.merge(other.evaluation);
        return new EvaluationPass(evaluation, lossSum + other.lossSum, examples + other.examples);
    }
}
