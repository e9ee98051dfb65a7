package org.sparkcnn.pipeline.predict;

import java.util.List;

/**
 * What a predict call did: how many inputs, how many of them could not be classified, where the table went
 * ({@code table}: Parquet directory, {@code csv}: the same rows as one CSV file), and the first rows.
 */
public record PredictResult(long inputs, long unreadable, String table, String csv, List<Prediction> firstRows) {
    public PredictResult {
        firstRows = List.copyOf(firstRows);
    }
}
