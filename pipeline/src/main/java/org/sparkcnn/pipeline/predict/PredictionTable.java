package org.sparkcnn.pipeline.predict;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Predictions as a table: a Parquet directory written by the executors (for {@code spark.read.parquet}) and the
 * same rows as one CSV file streamed through the driver a partition at a time (for notebooks without pyarrow).
 */
public final class PredictionTable {
    public static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("predicted_class", DataTypes.StringType, true)
            .add("confidence", DataTypes.DoubleType, true)
            .add("top_classes", DataTypes.createArrayType(DataTypes.StringType, false), false)
            .add("top_probabilities", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
            .add("error", DataTypes.StringType, true);

    private PredictionTable() {}

    public static Row toRow(Prediction p) {
        return RowFactory.create(p.path(), p.ok() ? p.topClasses().get(0) : null,
                p.ok() ? p.topProbabilities().get(0) : null,
                p.topClasses().toArray(new String[0]), p.topProbabilities().toArray(new Double[0]), p.error());
    }

    /** Replaces the Parquet table at {@code uri} (Spark's commit protocol: no half-written table is visible). */
    public static void writeParquet(SparkSession spark, JavaRDD<Prediction> predictions, String uri) {
        spark.createDataFrame(predictions.map(PredictionTable::toRow), SCHEMA).write().mode(SaveMode.Overwrite).parquet(uri);
    }

    /** Streams the rows into one CSV file (written to a temporary name, then renamed). */
    public static void writeCsv(Storage storage, Iterator<Prediction> rows, int topK, String uri) {
        storage.writeAtomically(uri, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(header(topK));
            while (rows.hasNext()) {
                w.write(csvLine(rows.next(), topK));
            }
            w.flush();
        });
    }

    static String header(int topK) {
        StringBuilder sb = new StringBuilder("path");
        for (int i = 1; i <= topK; i++) {
            sb.append(",class_").append(i).append(",probability_").append(i);
        }
        return sb.append(",error\n").toString();
    }

    static String csvLine(Prediction p, int topK) {
        StringBuilder sb = new StringBuilder(quote(p.path()));
        List<String> classes = p.topClasses();
        for (int i = 0; i < topK; i++) {
            boolean has = i < classes.size();
            sb.append(',').append(has ? quote(classes.get(i)) : "")
                    .append(',').append(has ? String.format(Locale.ROOT, "%.6f", p.topProbabilities().get(i)) : "");
        }
        return sb.append(',').append(p.error() == null ? "" : quote(p.error())).append('\n').toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
