package org.sparkcnn.pipeline.ml;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.demo.SyntheticCorpus;
import org.sparkcnn.pipeline.storage.Storage;
import org.sparkcnn.pipeline.testing.LocalSpark;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Spark ML API on local[2] over the demo's corpus (4 shapes, 250 JPEGs each), read as notebook users read
 * images: with Spark's {@code image} data source and with {@code binaryFile}; fitted inside a {@code Pipeline} with
 * the demo's settings and held to the demo's accuracy bar on rows it never saw; saved, loaded in another session and
 * transforming the same; and refusing bad columns before any job runs.
 */
class CnnClassifierIT {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static String images;

    @BeforeAll
    static void corpus() {
        spark = LocalSpark.start("CnnClassifierIT");
        String root = dir.resolve("corpus").toUri().toString();
        SyntheticCorpus.write(Storage.of(spark.sparkContext().hadoopConfiguration()), root, 4, 250, 48, 7);
        images = Storage.join(root, "images");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The demo's settings (conf/demo.conf), as params. */
    private static CnnClassifier demoClassifier(String run) {
        return new CnnClassifier().setImageSize(32, 32, 3).setArchitecture("lenet").setEpochs(15)
                .setBatchSizePerWorker(16).setAveragingFrequency(2).setWorkers(2).setLearningRate(0.002)
                .setValidationFraction(0.15).setCheckpointLocation(dir.resolve("runs").toUri().toString())
                .setRunId(run);
    }

    /** The class from the folder name: images/<class>/<file>.jpg. */
    private static SQLTransformer labelFrom(String pathColumn) {
        return new SQLTransformer().setStatement("SELECT *, regexp_extract(" + pathColumn
                + ", '/images/([^/]+)/[^/]+$', 1) AS label FROM __THIS__");
    }

    private static double accuracy(Dataset<Row> predicted) {
        long right = predicted.filter(functions.col("predictedLabel").equalTo(functions.col("label"))).count();
        return right / (double) predicted.count();
    }

    @Test
    void aPipelineFitsOnTheImageDataSourceToTheDemosBarAndItsModelSurvivesSaveAndLoadInAnotherSession() throws Exception {
        Dataset<Row>[] parts = spark.read().format("image").load(images + "/*/*.jpg").randomSplit(new double[] {0.8, 0.2}, 3);
        Dataset<Row> train = parts[0].cache();
        Dataset<Row> test = parts[1].cache();
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {labelFrom("image.origin"),
                demoClassifier("image-source")});
        PipelineModel fitted = pipeline.fit(train);

        Dataset<Row> predicted = fitted.transform(test).cache();
        double accuracy = accuracy(predicted);
        System.out.printf("CnnClassifierIT: image data source, %d held-out rows, accuracy %.4f%n", predicted.count(), accuracy);
        assertTrue(accuracy >= 0.90, "held-out accuracy " + accuracy);
        Row first = predicted.first();
        Vector p = first.getAs("probability");
        assertEquals(4, p.size());
        assertEquals(1.0, java.util.Arrays.stream(p.toArray()).sum(), 1e-4);
        assertEquals(p.argmax(), (int) first.<Double>getAs("prediction").doubleValue());
        assertNull(first.getAs("error"));
        CnnClassificationModel model = (CnnClassificationModel) fitted.stages()[1];
        assertEquals(List.of("circle", "cross", "square", "triangle"), model.classes());

        String saved = dir.resolve("saved-pipeline").toUri().toString();
        fitted.write().overwrite().save(saved);
        SparkSession other = spark.newSession();
        PipelineModel loaded = PipelineModel.load(saved);
        List<Row> again = loaded.transform(other.read().format("image").load(images + "/*/*.jpg")
                        .join(test.select("image.origin").withColumnRenamed("origin", "o"),
                                functions.col("image.origin").equalTo(functions.col("o")))
                        .drop("o"))
                .select("image.origin", "prediction", "predictedLabel").orderBy("origin").collectAsList();
        List<Row> before = predicted.select("image.origin", "prediction", "predictedLabel").orderBy("origin")
                .collectAsList();
        assertEquals(before, again, "the loaded pipeline predicts what the fitted one did");
    }

    @Test
    void binaryFilesFitToTheDemosBarAndAnUnreadableRowGetsAnErrorNotAFailedJob() throws Exception {
        Dataset<Row>[] parts = spark.read().format("binaryFile").option("pathGlobFilter", "*.jpg")
                .option("recursiveFileLookup", "true").load(images).randomSplit(new double[] {0.8, 0.2}, 5);
        Dataset<Row> train = labelFrom("path").transform(parts[0]).cache();
        Dataset<Row> test = labelFrom("path").transform(parts[1]).cache();
        CnnClassificationModel model = demoClassifier("binary-files").setImageCol("content").fit(train);
        double accuracy = accuracy(model.transform(test));
        System.out.printf("CnnClassifierIT: binaryFile, %d held-out rows, accuracy %.4f%n", test.count(), accuracy);
        assertTrue(accuracy >= 0.90, "held-out accuracy " + accuracy);

        StructType schema = new StructType().add("path", DataTypes.StringType).add("content", DataTypes.BinaryType);
        Dataset<Row> odd = spark.createDataFrame(List.of(
                RowFactory.create("not-an-image.jpg", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                RowFactory.create("null.jpg", null),
                test.select("path", "content").first()), schema);
        List<Row> out = model.transform(odd).orderBy("path").collectAsList();
        assertEquals(3, out.size(), "every row comes back");
        Row garbage = out.stream().filter(r -> r.getString(0).equals("not-an-image.jpg")).findFirst().orElseThrow();
        assertNull(garbage.getAs("prediction"));
        assertNull(garbage.getAs("probability"));
        assertTrue(garbage.<String>getAs("error").startsWith("NOT_AN_IMAGE"), garbage.<String>getAs("error"));
        Row nul = out.stream().filter(r -> r.getString(0).equals("null.jpg")).findFirst().orElseThrow();
        assertNotNull(nul.getAs("error"));
        Row good = out.stream().filter(r -> r.getString(0).endsWith(".jpg") && r.getString(0).contains("/images/"))
                .findFirst().orElseThrow();
        assertNull(good.getAs("error"));
        assertNotNull(good.getAs("predictedLabel"));

        String saved = dir.resolve("saved-model").toUri().toString();
        model.write().overwrite().save(saved);
        CnnClassificationModel loaded = CnnClassificationModel.load(saved);
        assertEquals(model.transform(test).select("path", "prediction").orderBy("path").collectAsList(),
                loaded.transform(test).select("path", "prediction").orderBy("path").collectAsList());
        assertEquals("content", loaded.getImageCol());

        // what is read back is input: a network changed after it was saved is refused before DL4J reads it
        Path network = Path.of(java.net.URI.create(saved)).resolve(MlPersistence.NETWORK);
        byte[] bytes = java.nio.file.Files.readAllBytes(network);
        bytes[bytes.length / 2] ^= 0x5a;
        java.nio.file.Files.write(network, bytes);
        org.sparkcnn.pipeline.error.BadInputException corrupt = assertThrows(
                org.sparkcnn.pipeline.error.BadInputException.class, () -> CnnClassificationModel.load(saved));
        assertTrue(corrupt.getMessage().contains("network.zip is corrupt"), corrupt.getMessage());
    }

    @Test
    void wrongOrMissingColumnsAndSettingsFailBeforeAnyJobRunsNamingThem() throws Exception {
        AtomicInteger jobs = new AtomicInteger();
        SparkListener counter = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart job) {
                jobs.incrementAndGet();
            }
        };
        Dataset<Row> binary = spark.read().format("binaryFile").load(images + "/circle/*.jpg");
        spark.sparkContext().listenerBus().waitUntilEmpty();
        spark.sparkContext().addSparkListener(counter);
        try {
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> new CnnClassifier().setImageCol("image").fit(binary.withColumn("label", functions.lit("a"))));
            assertTrue(missing.getMessage().contains("'image'") && missing.getMessage().contains("content"),
                    missing.getMessage());
            IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
                    () -> new CnnClassifier().setImageCol("path").fit(binary.withColumn("label", functions.lit("a"))));
            assertTrue(wrongType.getMessage().contains("'path'") && wrongType.getMessage().contains("imageCol"),
                    wrongType.getMessage());
            IllegalArgumentException noLabel = assertThrows(IllegalArgumentException.class,
                    () -> new CnnClassifier().setImageCol("content").fit(binary));
            assertTrue(noLabel.getMessage().contains("'label'") && noLabel.getMessage().contains("labelCol"),
                    noLabel.getMessage());
            IllegalArgumentException arrayLabel = assertThrows(IllegalArgumentException.class,
                    () -> new CnnClassifier().setImageCol("content").fit(
                            binary.withColumn("label", functions.array(functions.lit(1)))));
            assertTrue(arrayLabel.getMessage().contains("labelCol"), arrayLabel.getMessage());
            IllegalArgumentException badSetting = assertThrows(IllegalArgumentException.class,
                    () -> new CnnClassifier().setImageCol("content").setConfig("train.epocs=3")
                            .fit(binary.withColumn("label", functions.lit("a"))));
            assertTrue(badSetting.getMessage().contains("train.epocs"), badSetting.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new CnnClassifier().setEpochs(0),
                    "a typed param's validator refuses it when set");
            IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                    () -> new CnnClassifier().setImageCol("content").setPredictionCol("path")
                            .transformSchema(binary.withColumn("label", functions.lit("a")).schema()));
            assertTrue(taken.getMessage().contains("'path'"), taken.getMessage());
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(0, jobs.get(), "no Spark job ran for a refused fit");
        } finally {
            spark.sparkContext().removeSparkListener(counter);
        }
    }

    @Test
    void numericLabelsAreClassIndexesAndRowsWithoutALabelOrSharingAnIdAreQuarantinedNotDropped() {
        Dataset<Row> files = spark.read().format("binaryFile").load(images + "/{circle,square}/000[0-9]*.jpg")
                .withColumn("label", functions.when(functions.col("path").contains("/circle/"), 0)
                        .when(functions.col("path").contains("/square/"), 2));   // nullable, as labels may be
        Row one = files.orderBy("path").first();
        StructType schema = files.schema();
        Dataset<Row> odd = spark.createDataFrame(List.of(
                RowFactory.create(one.get(0), one.get(1), one.get(2), one.get(3), 1),         // its path twice
                RowFactory.create("file:/nowhere/unlabelled.jpg", one.get(1), one.get(2), one.get(3), null),
                RowFactory.create("file:/nowhere/garbage.jpg", one.get(1), 5L,
                        "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8), 1)), schema);
        Dataset<Row> input = files.unionByName(odd);
        long rows = input.count();
        CnnClassificationModel model = new CnnClassifier().setImageCol("content").setImageSize(16, 16, 3)
                .setEpochs(1).setBatchSizePerWorker(8).setValidationFraction(0.2)
                .setConfig("ingest.max-bad-fraction=0.05")   // 4 of 203 rows: the default 1 % would stop the fit
                .setCheckpointLocation(dir.resolve("runs").toUri().toString()).setRunId("numeric").fit(input);
        assertEquals(List.of("0", "1", "2"), model.classes(), "class indexes 0..max, the unused 1 included");

        var manifest = new org.sparkcnn.pipeline.shards.ManifestStore(Storage.of(spark.sparkContext()
                .hadoopConfiguration())).require(org.sparkcnn.pipeline.storage.RunLayout.of(
                dir.resolve("runs").toUri().toString(), "numeric"));
        assertEquals(rows, manifest.listed());
        assertEquals(manifest.listed(), manifest.written() + manifest.quarantined(), "counts reconcile");
        assertEquals(4, manifest.quarantined(), "2 rows sharing a path, 1 without a label, 1 not an image");
        assertTrue(manifest.corpusUri().startsWith("dataframe:"), manifest.corpusUri());
        List<String> reasons = spark.read().parquet(org.sparkcnn.pipeline.storage.Storage.join(
                        dir.resolve("runs").toUri().toString(), "numeric", manifest.generation(), "quarantine"))
                .select("reason").orderBy("reason").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertEquals(List.of("DUPLICATE", "DUPLICATE", "NOT_AN_IMAGE", "UNKNOWN_CLASS"), reasons);

        Dataset<Row> fractional = files.withColumn("label", functions.lit(0.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CnnClassifier().setImageCol("content").fit(fractional));
        assertTrue(e.getMessage().contains("labelCol") && e.getMessage().contains("0.5"), e.getMessage());
    }

    @Test
    void anEstimatorsParamsSurviveSaveAndLoad() throws Exception {
        CnnClassifier c = demoClassifier("params").setAugment("rotation-range = 10, horizontal-flip = true")
                .setLayers("conv 5x5x8 relu", "maxpool 2").setConfig("train.lr-schedule=cosine");
        String path = dir.resolve("saved-estimator").toUri().toString();
        c.write().overwrite().save(path);
        CnnClassifier back = CnnClassifier.load(path);
        assertEquals(c.uid(), back.uid());
        for (org.apache.spark.ml.param.Param<?> p : c.params()) {
            @SuppressWarnings("unchecked")
            org.apache.spark.ml.param.Param<Object> param = (org.apache.spark.ml.param.Param<Object>) p;
            assertEquals(c.isSet(param), back.isSet(back.getParam(p.name())), p.name());
            assertEquals(param.jsonEncode(c.getOrDefault(param)),
                    param.jsonEncode(back.getOrDefault(back.getParam(p.name()))), p.name());
        }
        assertEquals(0.002, back.getLearningRate());
        assertEquals(List.of("conv 5x5x8 relu", "maxpool 2"), List.of(back.getLayers()));
        assertThrows(org.sparkcnn.pipeline.error.BadInputException.class, () -> CnnClassificationModel.load(path),
                "an estimator's folder is not a model");
    }
}
