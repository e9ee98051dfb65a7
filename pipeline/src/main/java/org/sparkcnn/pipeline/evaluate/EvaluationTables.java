package org.sparkcnn.pipeline.evaluate;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The evaluation tables under {@code metrics/}: {@code evaluation} (one row per checkpoint), {@code per_class}
 * and {@code confusion}, Parquet partitioned by (run_id, checkpoint) and written with dynamic partition
 * overwrite, so evaluating a checkpoint again replaces its rows and leaves other checkpoints' rows alone;
 * plus CSV copies of the latest evaluation for notebooks without Parquet.
 */
public final class EvaluationTables {
    static final StructType EVALUATION = new StructType()
            .add("run_id", DataTypes.StringType, false).add("checkpoint", DataTypes.StringType, false)
            .add("examples", DataTypes.LongType, false).add("accuracy", DataTypes.DoubleType, false)
            .add("top_k", DataTypes.IntegerType, false).add("top_k_accuracy", DataTypes.DoubleType, false)
            .add("loss", DataTypes.DoubleType, false).add("macro_precision", DataTypes.DoubleType, false)
            .add("macro_recall", DataTypes.DoubleType, false).add("macro_f1", DataTypes.DoubleType, false)
            .add("weighted_precision", DataTypes.DoubleType, false).add("weighted_recall", DataTypes.DoubleType, false)
            .add("weighted_f1", DataTypes.DoubleType, false);
    static final StructType PER_CLASS = new StructType()
            .add("run_id", DataTypes.StringType, false).add("checkpoint", DataTypes.StringType, false)
            .add("class", DataTypes.StringType, false).add("precision", DataTypes.DoubleType, false)
            .add("recall", DataTypes.DoubleType, false).add("f1", DataTypes.DoubleType, false)
            .add("support", DataTypes.LongType, false);
    static final StructType CONFUSION = new StructType()
            .add("run_id", DataTypes.StringType, false).add("checkpoint", DataTypes.StringType, false)
            .add("actual", DataTypes.StringType, false).add("predicted", DataTypes.StringType, false)
            .add("count", DataTypes.LongType, false);

    private EvaluationTables() {}

    public static void write(SparkSession spark, Storage storage, RunLayout run, EvaluationResult r) {
        List<Row> evaluation = List.of(RowFactory.create(r.runId(), r.checkpoint(), r.examples(), r.accuracy(), r.topK(),
                r.topKAccuracy(), r.loss(), r.macroPrecision(), r.macroRecall(), r.macroF1(), r.weightedPrecision(),
                r.weightedRecall(), r.weightedF1()));
        List<Row> perClass = new ArrayList<>();
        StringBuilder perClassCsv = new StringBuilder("class,precision,recall,f1,support\n");
        for (EvaluationResult.PerClass c : r.perClass()) {
            perClass.add(RowFactory.create(r.runId(), r.checkpoint(), c.className(), c.precision(), c.recall(), c.f1(), c.support()));
            perClassCsv.append(String.format(Locale.ROOT, "\"%s\",%.6f,%.6f,%.6f,%d%n", c.className().replace("\"", "\"\""),
                    c.precision(), c.recall(), c.f1(), c.support()));
        }
        List<Row> confusion = new ArrayList<>();
        StringBuilder confusionCsv = new StringBuilder("actual,predicted,count\n");
        for (int a = 0; a < r.classes().size(); a++) {
            for (int p = 0; p < r.classes().size(); p++) {
                confusion.add(RowFactory.create(r.runId(), r.checkpoint(), r.classes().get(a), r.classes().get(p),
                        (long) r.confusion()[a][p]));
                confusionCsv.append(String.format(Locale.ROOT, "\"%s\",\"%s\",%d%n", r.classes().get(a), r.classes().get(p),
                        r.confusion()[a][p]));
            }
        }
        write(spark, evaluation, EVALUATION, Storage.join(run.metrics(), "evaluation"));
        write(spark, perClass, PER_CLASS, Storage.join(run.metrics(), "per_class"));
        write(spark, confusion, CONFUSION, Storage.join(run.metrics(), "confusion"));
        storage.writeString(Storage.join(run.metrics(), "per_class.csv"), perClassCsv.toString());
        storage.writeString(Storage.join(run.metrics(), "confusion.csv"), confusionCsv.toString());
    }

    private static void write(SparkSession spark, List<Row> rows, StructType schema, String uri) {
        spark.createDataFrame(rows, schema).coalesce(1).write().mode(SaveMode.Overwrite)
                .option("partitionOverwriteMode", "dynamic").partitionBy("run_id", "checkpoint").parquet(uri);
    }
}
