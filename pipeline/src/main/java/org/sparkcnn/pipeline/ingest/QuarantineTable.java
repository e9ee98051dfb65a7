package org.sparkcnn.pipeline.ingest;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparkcnn.pipeline.corpus.QuarantineRecord;

import java.util.List;

/** The quarantine table: Parquet, one row per rejected input (path, reason, message, size_bytes). */
public final class QuarantineTable {
    public static final StructType SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("reason", DataTypes.StringType, false)
            .add("message", DataTypes.StringType, true)
            .add("size_bytes", DataTypes.LongType, false);

    private QuarantineTable() {}

    public static void write(SparkSession spark, String uri, List<QuarantineRecord> records) {
        List<Row> rows = records.stream()
                .map(r -> RowFactory.create(r.path(), r.reason().name(), r.message(), r.sizeBytes()))
                .toList();
        spark.createDataFrame(rows, SCHEMA).coalesce(1).write().mode(SaveMode.Overwrite).parquet(uri);
    }
}
