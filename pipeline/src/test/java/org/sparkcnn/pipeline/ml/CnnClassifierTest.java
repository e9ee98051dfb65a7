package org.sparkcnn.pipeline.ml;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.config.PipelineConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimator's settings and columns, checked without a Spark job: what {@code fit} settles first. */
class CnnClassifierTest {
    private static final StructType IMAGE_STRUCT = new StructType().add("image", new StructType()
            .add("origin", DataTypes.StringType).add("height", DataTypes.IntegerType)
            .add("width", DataTypes.IntegerType).add("nChannels", DataTypes.IntegerType)
            .add("mode", DataTypes.IntegerType).add("data", DataTypes.BinaryType)).add("label", DataTypes.StringType);

    @Test
    void paramsBecomeTheClisSettingsValidatedTogether() {
        CnnClassifier c = new CnnClassifier().setImageSize(48, 40, 1).setArchitecture("LeNet").setEpochs(7)
                .setAugment("rotation-range = 10, horizontal-flip = true").setEarlyStopping("val_accuracy", 2)
                .setConfig("train.lr-schedule=cosine", "checkpoint.keep-last=1").setCheckpointLocation("file:/tmp/runs");
        PipelineConfig cfg = c.toConfig("dataframe:x", "r1");
        assertEquals(48, cfg.image().height());
        assertEquals(40, cfg.image().width());
        assertEquals(1, cfg.image().channels());
        assertEquals("lenet", cfg.model().architecture());
        assertEquals(7, cfg.train().epochs());
        assertEquals(10, cfg.augment().rotationRange(), 0.0);
        assertTrue(cfg.augment().horizontalFlip());
        assertTrue(cfg.earlyStopping().enabled());
        assertEquals("val_accuracy", cfg.earlyStopping().monitor());
        assertEquals(PipelineConfig.LrSchedule.COSINE, cfg.train().lrSchedule());
        assertEquals(0.0, cfg.split().testFraction(), "a fit holds out validation only; the user keeps a test set");
        assertEquals("r1", cfg.run().id());

        assertEquals(StructType.class, c.transformSchema(IMAGE_STRUCT).getClass());
        assertEquals(IMAGE_STRUCT.size() + 4, c.transformSchema(IMAGE_STRUCT).size());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> new CnnClassifier().setConfig("train.optimizer=adamw2").transformSchema(IMAGE_STRUCT));
        assertTrue(bad.getMessage().contains("train.optimizer"), bad.getMessage());
    }

    @Test
    void onAClusterTheRunMustGoWhereEveryExecutorReachesIt() {
        Configuration hadoop = new Configuration(false);
        CnnClassifier unset = new CnnClassifier();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> unset.resolvePaths(unset.toConfig("dataframe:x", "r"), "yarn", hadoop));
        assertTrue(e.getMessage().contains("checkpointLocation is not set"), e.getMessage());
        CnnClassifier local = new CnnClassifier().setCheckpointLocation("file:/tmp/runs");
        e = assertThrows(IllegalArgumentException.class,
                () -> local.resolvePaths(local.toConfig("dataframe:x", "r"), "spark://master:7077", hadoop));
        assertTrue(e.getMessage().contains("checkpointLocation") && e.getMessage().contains("local disk"),
                e.getMessage());
        CnnClassifier hdfs = new CnnClassifier().setCheckpointLocation("hdfs://nn:8020/runs");
        assertEquals("hdfs://nn:8020/runs", hdfs.resolvePaths(hdfs.toConfig("dataframe:x", "r"), "yarn", hadoop)
                .output().uri());
        assertTrue(unset.resolvePaths(unset.toConfig("dataframe:x", "r"), "local[2]", hadoop).output().uri()
                .startsWith("file:"), "a local master may use the temporary folder");
    }
}
