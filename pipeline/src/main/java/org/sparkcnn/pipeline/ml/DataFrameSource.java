package org.sparkcnn.pipeline.ml;

import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.sparkcnn.pipeline.config.PipelineConfig.CorpusLayoutName;
import org.sparkcnn.pipeline.corpus.CorpusEntry;
import org.sparkcnn.pipeline.corpus.CorpusListing;
import org.sparkcnn.pipeline.corpus.QuarantineReason;
import org.sparkcnn.pipeline.corpus.QuarantineRecord;
import org.sparkcnn.pipeline.corpus.SplitAssigner;
import org.sparkcnn.pipeline.ingest.DecodedImage;
import org.sparkcnn.pipeline.ingest.IngestSource;
import org.sparkcnn.pipeline.ingest.ShardBuilder;
import org.sparkcnn.pipeline.ingest.ShardOutcome;
import org.sparkcnn.pipeline.ingest.ShardTask;
import org.sparkcnn.pipeline.storage.Storage;
import scala.Tuple2;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The rows of a DataFrame as an ingest's input ({@link IngestSource}): each row's id (the image struct's
 * {@code origin}, {@code binaryFile}'s {@code path}, else the SHA-256 of its bytes), label and size are collected on
 * the driver when this is built (small: no pixels), which fixes the class names and the ingest's fingerprint; the
 * ingest then splits and plans them like files, and each shard's rows travel to the task that builds it (one
 * shuffle of the image bytes). Rows without a label, and every row of an id that several rows share, are
 * quarantined with the reason; labels are strings (indexed alphabetically) or non-negative whole numbers (used as
 * they are, named "0".."k-1").
 */
final class DataFrameSource implements IngestSource {
    private static final String ID = "__cnn_id";

    private final Dataset<Row> rows;
    private final ImageColumn kind;
    private final String imageCol;
    private final List<String> classNames;
    private final List<Listed> listed;
    private final String fingerprint;

    /** One row as listed on the driver. */
    private record Listed(String id, String label, long size) {}

    DataFrameSource(Dataset<?> dataset, String imageCol, String labelCol) {
        this.kind = ImageColumn.of(dataset.schema(), imageCol);
        this.imageCol = imageCol;
        var labelType = ImageColumn.field(dataset.schema(), labelCol, "labelCol").dataType();
        if (!(labelType instanceof StringType) && !(labelType instanceof NumericType)) {
            throw new IllegalArgumentException("column '" + labelCol + "' (labelCol) is " + labelType.simpleString()
                    + "; it must be a string (a class name) or a number (a class index)");
        }
        this.rows = dataset.toDF().withColumn(ID, idColumn(dataset, kind, imageCol));
        Column size = functions.length(kind == ImageColumn.STRUCT ? functions.col(imageCol + ".data")
                : functions.col(imageCol));
        List<Listed> all = new ArrayList<>();
        for (Row r : rows.select(functions.col(ID), functions.col(labelCol).cast("string"), size).collectAsList()) {
            all.add(new Listed(r.getString(0), r.isNullAt(1) ? null : r.getString(1), r.isNullAt(2) ? 0 : r.getInt(2)));
        }
        all.sort(java.util.Comparator.comparing(Listed::id, java.util.Comparator.nullsFirst(String::compareTo)));
        this.listed = List.copyOf(all);
        this.classNames = labelType instanceof StringType ? stringClasses(all) : numericClasses(all, labelCol);
        this.fingerprint = fingerprint(all);
    }

    private static Column idColumn(Dataset<?> dataset, ImageColumn kind, String imageCol) {
        if (kind == ImageColumn.STRUCT) {
            return functions.col(imageCol + ".origin");
        }
        if (List.of(dataset.schema().fieldNames()).contains("path")) {
            return functions.col("path").cast("string");
        }
        return functions.sha2(functions.col(imageCol), 256);
    }

    private static List<String> stringClasses(List<Listed> all) {
        TreeSet<String> names = new TreeSet<>();
        all.stream().map(Listed::label).filter(l -> l != null).forEach(names::add);
        return List.copyOf(names);
    }

    private static List<String> numericClasses(List<Listed> all, String labelCol) {
        int max = -1;
        for (Listed l : all) {
            if (l.label() == null) {
                continue;
            }
            BigDecimal v = new BigDecimal(l.label());
            if (v.signum() < 0 || v.stripTrailingZeros().scale() > 0 || v.compareTo(BigDecimal.valueOf(100_000)) > 0) {
                throw new IllegalArgumentException("column '" + labelCol + "' (labelCol) holds " + l.label()
                        + " for " + l.id() + "; a numeric label must be a class index 0, 1, 2, ... (or use string "
                        + "class names)");
            }
            max = Math.max(max, v.intValueExact());
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    private static String fingerprint(List<Listed> all) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Listed l : all) {
                sha.update((l.id() + "\u0000" + l.label() + "\u0000" + l.size() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The class names, index = label. */
    List<String> classNames() {
        return classNames;
    }

    /** What names this input in the run's manifest and config ({@code corpus.uri}): its rows' fingerprint. */
    String uri() {
        return "dataframe:" + fingerprint;
    }

    int rows() {
        return listed.size();
    }

    @Override
    public CorpusListing list(Storage storage, SplitAssigner splits) {
        Map<String, Integer> seen = new HashMap<>();
        listed.forEach(l -> seen.merge(String.valueOf(l.id()), 1, Integer::sum));
        Map<String, Integer> index = new TreeMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            index.put(classNames.get(i), i);
        }
        List<CorpusEntry> entries = new ArrayList<>();
        List<QuarantineRecord> quarantined = new ArrayList<>();
        for (Listed l : listed) {
            if (l.id() == null) {
                quarantined.add(new QuarantineRecord("(no id)", QuarantineReason.NOT_AN_IMAGE,
                        "the image is null", l.size()));
            } else if (seen.get(l.id()) > 1) {
                quarantined.add(new QuarantineRecord(l.id(), QuarantineReason.DUPLICATE, seen.get(l.id())
                        + " rows share this id (image origin, path or content); each image must appear once", l.size()));
            } else if (l.label() == null || !index.containsKey(l.label())) {
                quarantined.add(new QuarantineRecord(l.id(), QuarantineReason.UNKNOWN_CLASS, "the label is null",
                        l.size()));
            } else {
                entries.add(new CorpusEntry(l.id(), l.id(), index.get(l.label()), splits.assign(l.id()), l.size()));
            }
        }
        return new CorpusListing(uri(), CorpusLayoutName.DATAFRAME, classNames, entries, quarantined);
    }

    @Override
    public List<ShardOutcome> build(JavaSparkContext sc, List<ShardTask> tasks, ShardBuilder builder) {
        if (tasks.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> taskOf = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            for (CorpusEntry e : tasks.get(i).entries()) {
                taskOf.put(e.uri(), i);
            }
        }
        Broadcast<Map<String, Integer>> taskOfId = sc.broadcast(taskOf);
        Broadcast<List<ShardTask>> plan = sc.broadcast(tasks);
        ImageColumn kind = this.kind;
        List<ShardOutcome> outcomes = rows.select(functions.col(ID), functions.col(imageCol)).javaRDD()
                .flatMapToPair(row -> {
                    Integer task = row.isNullAt(0) ? null : taskOfId.value().get(row.getString(0));
                    return task == null ? Collections.emptyIterator()
                            : List.of(new Tuple2<>(task, row)).iterator();
                })
                // Integer keys 0..n-1 hash to themselves: partition i holds task i's rows
                .partitionBy(new HashPartitioner(tasks.size()))
                .mapPartitionsWithIndex((i, it) -> {
                    Map<String, Row> byId = new HashMap<>();
                    it.forEachRemaining(t -> byId.put(t._2().getString(0), t._2()));
                    ShardOutcome outcome = builder.build(plan.value().get(i), entry -> {
                        Row r = byId.get(entry.uri());
                        return r == null ? DecodedImage.rejected(QuarantineReason.MISSING.name(),
                                "the row was not in the DataFrame when the shard was built (a nondeterministic "
                                        + "DataFrame? cache or checkpoint it before fit)")
                                : kind.decode(r, 1, builder.decoder());
                    });
                    return List.of(outcome).iterator();
                }, true)
                .collect();
        taskOfId.destroy();
        plan.destroy();
        return outcomes;
    }
}
