package org.sparkcnn.pipeline.metrics;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.util.List;
import java.util.Locale;

/**
 * Writes the per-epoch metrics of a run: the Parquet table {@code metrics/epochs} (partitioned by run_id,
 * readable with {@code spark.read.parquet}), a CSV copy and a Keras-style {@code history.json}. Rows are
 * keyed by (run_id, epoch): the table is rewritten from the full list, so a retried or resumed epoch
 * replaces its row and never duplicates it.
 */
public final class MetricsStore {
    public static final StructType EPOCHS_SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("epoch", DataTypes.IntegerType, false)
            .add("train_loss", DataTypes.DoubleType, false)
            .add("train_accuracy", DataTypes.DoubleType, false)
            .add("val_loss", DataTypes.DoubleType, false)
            .add("val_accuracy", DataTypes.DoubleType, false)
            .add("learning_rate", DataTypes.DoubleType, false)
            .add("seconds", DataTypes.DoubleType, false)
            .add("samples_per_second", DataTypes.DoubleType, false);

    public static final StructType ROUNDS_SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("epoch", DataTypes.IntegerType, false)
            .add("round", DataTypes.IntegerType, false)
            .add("score", DataTypes.DoubleType, false)
            .add("examples", DataTypes.LongType, false)
            .add("seconds", DataTypes.DoubleType, false)
            .add("correct", DataTypes.LongType, false);

    public static final StructType RUNS_SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("status", DataTypes.StringType, false)
            .add("started", DataTypes.StringType, false)
            .add("finished", DataTypes.StringType, true)
            .add("config", DataTypes.StringType, false)
            .add("manifest_hash", DataTypes.StringType, false)
            .add("code_version", DataTypes.StringType, false)
            .add("best_epoch", DataTypes.IntegerType, false)
            .add("best_metric", DataTypes.DoubleType, false)
            .add("monitor", DataTypes.StringType, false);

    private final SparkSession spark;
    private final Storage storage;
    private final RunLayout run;

    public MetricsStore(SparkSession spark, Storage storage, RunLayout run) {
        this.spark = spark;
        this.storage = storage;
        this.run = run;
    }

    public String epochsTable() {
        return Storage.join(run.metrics(), "epochs");
    }

    public void writeEpochs(List<EpochMetrics> epochs) {
        List<Row> rows = epochs.stream().map(e -> RowFactory.create(e.runId(), e.epoch(), e.trainLoss(),
                e.trainAccuracy(), e.valLoss(), e.valAccuracy(), e.learningRate(), e.seconds(),
                e.samplesPerSecond())).toList();
        spark.createDataFrame(rows, EPOCHS_SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite)
                .partitionBy("run_id").parquet(epochsTable());
        storage.writeString(Storage.join(run.metrics(), "epochs.csv"), csv(epochs));
        storage.writeString(Storage.join(run.metrics(), "history.json"), history(epochs));
    }

    /** Rewrites the {@code rounds} table (and {@code rounds.csv}) from every round so far, keyed (run_id, epoch, round). */
    public void writeRounds(List<RoundMetrics> rounds) {
        List<Row> rows = rounds.stream().map(r -> RowFactory.create(r.runId(), r.epoch(), r.round(), r.score(),
                r.examples(), r.seconds(), r.correct())).toList();
        spark.createDataFrame(rows, ROUNDS_SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite)
                .partitionBy("run_id").parquet(Storage.join(run.metrics(), "rounds"));
        StringBuilder csv = new StringBuilder("run_id,epoch,round,score,examples,seconds,correct\n");
        for (RoundMetrics r : rounds) {
            csv.append(String.format(Locale.ROOT, "%s,%d,%d,%.6f,%d,%.3f,%d%n", r.runId(), r.epoch(), r.round(),
                    r.score(), r.examples(), r.seconds(), r.correct()));
        }
        storage.writeString(Storage.join(run.metrics(), "rounds.csv"), csv.toString());
    }

    /** Replaces this run's row of the {@code runs} table (status RUNNING, then COMPLETED, EARLY_STOPPED or FAILED). */
    public void writeRun(RunRecord r) {
        Row row = RowFactory.create(r.runId(), r.status(), r.started(), r.finished(), r.config(), r.manifestHash(),
                r.codeVersion(), r.bestEpoch(), r.bestMetric(), r.monitor());
        spark.createDataFrame(List.of(row), RUNS_SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite)
                .partitionBy("run_id").parquet(Storage.join(run.metrics(), "runs"));
        storage.writeString(Storage.join(run.metrics(), "run.json"), ManifestStore.JSON.valueToTree(r).toPrettyString());
    }

    static String csv(List<EpochMetrics> epochs) {
        StringBuilder sb = new StringBuilder(
                "run_id,epoch,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,seconds,samples_per_second\n");
        for (EpochMetrics e : epochs) {
            sb.append(String.format(Locale.ROOT, "%s,%d,%.6f,%.6f,%.6f,%.6f,%.8f,%.3f,%.2f%n", e.runId(), e.epoch(),
                    e.trainLoss(), e.trainAccuracy(), e.valLoss(), e.valAccuracy(), e.learningRate(), e.seconds(),
                    e.samplesPerSecond()));
        }
        return sb.toString();
    }

    /** The shape Keras' {@code model.fit(...).history} has: one list per metric, one entry per epoch. */
    static String history(List<EpochMetrics> epochs) {
        ObjectNode root = ManifestStore.JSON.createObjectNode();
        ArrayNode epoch = root.putArray("epoch");
        ArrayNode loss = root.putArray("loss");
        ArrayNode accuracy = root.putArray("accuracy");
        ArrayNode valLoss = root.putArray("val_loss");
        ArrayNode valAccuracy = root.putArray("val_accuracy");
        ArrayNode lr = root.putArray("lr");
        for (EpochMetrics e : epochs) {
            epoch.add(e.epoch());
            loss.add(e.trainLoss());
            accuracy.add(e.trainAccuracy());
            valLoss.add(e.valLoss());
            valAccuracy.add(e.valAccuracy());
            lr.add(e.learningRate());
        }
        return root.toPrettyString();
    }
}
