package org.sparkcnn.pipeline.evaluate;

import java.util.List;

/**
 * {@code evaluation.json}: test-split metrics of one checkpoint. {@code confusion[actual][predicted]}.
 */
public record EvaluationResult(String runId, String checkpoint, long examples, double accuracy, int topK,
                               double topKAccuracy, double loss, double macroPrecision, double macroRecall,
                               double macroF1, double weightedPrecision, double weightedRecall, double weightedF1,
                               List<PerClass> perClass, List<String> classes, int[][] confusion) {

    /** Precision, recall, F1 and support of one class. */
    public record PerClass(String className, double precision, double recall, double f1, long support) {}
}
