package org.sparkcnn.pipeline.predict;

import java.io.Serializable;
import java.util.List;

/**
 * The classes predicted for one input, best first; or, for an unreadable input, the reason
 * ({@code topClasses} empty).
 */
public record Prediction(String path, List<String> topClasses, List<Double> topProbabilities, String error)
        implements Serializable {

    public boolean ok() {
        return error == null;
    }

    /** The tutorials' sentence: {@code beignets with 87.31% confidence}. */
    public String sentence() {
        if (!ok()) {
            return "unreadable: " + error;
        }
        return String.format(java.util.Locale.ROOT, "%s with %.2f%% confidence", topClasses.get(0),
                100.0 * topProbabilities.get(0));
    }
}
