package org.sparkcnn.pipeline.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.config.PipelineConfig.Optimizer;
import org.sparkcnn.pipeline.config.PipelineConfig.ResizeMode;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.error.InvalidConfigException;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private File conf(String hocon) throws IOException {
        Path f = dir.resolve("job.conf");
        Files.writeString(f, hocon);
        return f.toFile();
    }

    @Test
    void defaultsLoadIntoTypedRecords() {
        PipelineConfig c = ConfigLoader.load(null, List.of());
        assertEquals("file:./warehouse", c.output().uri());
        assertEquals(64, c.image().height());
        assertEquals(ResizeMode.STRETCH, c.image().resizeMode());
        assertEquals(Optimizer.ADAM, c.train().optimizer());
        assertEquals(42L, c.seed());
        assertEquals(java.util.Set.of("spark.redaction.regex"), c.sparkConf().keySet(),
                "nothing passes through but the redaction rule Spark must follow");
    }

    @Test
    void setOverridesFileWhichOverridesDefaults() throws IOException {
        File f = conf("image.height = 32\nimage.width = 48\ntrain.epochs = 3\n");
        PipelineConfig c = ConfigLoader.load(f, List.of("image.height=100", "image.resize-mode=center-crop"));
        assertEquals(100, c.image().height(), "--set beats the file");
        assertEquals(48, c.image().width(), "the file beats the default");
        assertEquals(3, c.train().epochs());
        assertEquals(ResizeMode.CENTER_CROP, c.image().resizeMode());
    }

    @Test
    void theBarrierExchangeBelongsToOurTrainer() {
        assertEquals(PipelineConfig.Exchange.AUTO, ConfigLoader.load(null, List.of()).train().exchange());
        assertEquals(PipelineConfig.Exchange.JOB_PER_ROUND,
                ConfigLoader.load(null, List.of("train.exchange=job-per-round")).train().exchange());
        InvalidConfigException e = assertThrows(InvalidConfigException.class, () -> ConfigLoader.load(null,
                List.of("train.trainer=dl4j-spark", "train.exchange=barrier")));
        if (BuildLine.current().dl4jSparkTrainer()) {
            assertEquals("train.exchange", e.key());
            assertTrue(e.getMessage().contains("job-per-round"), e.getMessage());
        } else {
            assertEquals("train.trainer", e.key(), "the Spark 4 build has no dl4j-spark trainer to pair it with");
        }
    }

    @Test
    void sparkKeysPassThroughWithTheirPrefix() {
        PipelineConfig c = ConfigLoader.load(null, List.of("spark.master=local[2]", "spark.sql.shuffle.partitions=3"));
        assertEquals("local[2]", c.sparkConf().get("spark.master"));
        assertEquals("3", c.sparkConf().get("spark.sql.shuffle.partitions"));
    }

    @Test
    void unknownKeyIsRejectedWithTheNearestValidKey() throws IOException {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(conf("train.epocs = 3\n"), List.of()));
        assertEquals("train.epocs", e.key());
        assertTrue(e.getMessage().contains("Did you mean 'train.epochs'?"), e.getMessage());
        assertTrue(e.getMessage().contains("3"), "names the value: " + e.getMessage());
    }

    @Test
    void unknownOverrideKeyIsRejectedToo() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("image.hieght=5")));
        assertEquals("image.hieght", e.key());
        assertTrue(e.getMessage().contains("image.height"), e.getMessage());
    }

    @Test
    void wrongTypeNamesTheKeyAndValue() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("train.epochs=many")));
        assertEquals("train.epochs", e.key());
        assertTrue(e.getMessage().contains("many"), e.getMessage());
    }

    @Test
    void outOfRangeNamesTheKeyTheValueAndTheRange() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("image.channels=2")));
        assertEquals("image.channels", e.key());
        assertTrue(e.getMessage().contains("2") && e.getMessage().contains("[1, 3]"), e.getMessage());

        InvalidConfigException fraction = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("split.validation-fraction=1.5")));
        assertEquals("split.validation-fraction", fraction.key());

        InvalidConfigException notWhole = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("train.epochs=2.5")));
        assertEquals("train.epochs", notWhole.key());
    }

    @Test
    void fractionsMustLeaveTrainingData() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("split.validation-fraction=0.6", "split.test-fraction=0.5")));
        assertEquals("split.validation-fraction", e.key());
    }

    @Test
    void enumValueSuggestsTheNearestChoice() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("train.optimizer=adma")));
        assertEquals("train.optimizer", e.key());
        assertTrue(e.getMessage().contains("did you mean 'adam'?"), e.getMessage());

        InvalidConfigException arch = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("model.architecture=lenett")));
        assertEquals("model.architecture", arch.key());
        assertTrue(arch.getMessage().contains("'lenet'"), arch.getMessage());
    }

    @Test
    void badRunIdIsRejected() {
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("run.id=../escape")));
        assertEquals("run.id", e.key());
    }

    @Test
    void missingFileAndMalformedOverrideAreBadInput() throws IOException {
        BadInputException missing = assertThrows(BadInputException.class,
                () -> ConfigLoader.load(dir.resolve("nope.conf").toFile(), List.of()));
        assertTrue(missing.getMessage().contains("nope.conf"), missing.getMessage());
        BadInputException malformed = assertThrows(BadInputException.class,
                () -> ConfigLoader.load(null, List.of("train.epochs")));
        assertTrue(malformed.getMessage().contains("key=value"), malformed.getMessage());
        BadInputException syntax = assertThrows(BadInputException.class,
                () -> ConfigLoader.load(conf("image { height = \n"), List.of()));
        assertTrue(syntax.getMessage().contains("job.conf"), syntax.getMessage());
    }

    @Test
    void everyShippedJobFileLoads() {
        File confDir = new File("../conf");
        File[] files = confDir.listFiles((d, n) -> n.endsWith(".conf"));
        assertTrue(files != null && files.length >= 2, "conf/*.conf present");
        for (File f : files) {
            ConfigLoader.load(f, List.of());
        }
    }

    @Test
    void fingerprintsChangeWithIngestSettingsOnly() {
        PipelineConfig a = ConfigLoader.load(null, List.of());
        PipelineConfig moreEpochs = ConfigLoader.load(null, List.of("train.epochs=99"));
        PipelineConfig otherSize = ConfigLoader.load(null, List.of("image.height=99"));
        assertEquals(ConfigFingerprint.ingest(a), ConfigFingerprint.ingest(moreEpochs));
        assertNotEquals(ConfigFingerprint.ingest(a), ConfigFingerprint.ingest(otherSize));
        assertEquals(ConfigFingerprint.training(a), ConfigFingerprint.training(moreEpochs), "epochs may grow on resume");
        assertEquals(ConfigFingerprint.training(a), ConfigFingerprint.training(ConfigLoader.load(null,
                List.of("train.exchange=job-per-round"))), "a run may resume under the other exchange");
        assertNotEquals(ConfigFingerprint.training(a),
                ConfigFingerprint.training(ConfigLoader.load(null, List.of("train.learning-rate=0.1"))));
    }

    @Test
    void everyReferenceKeyHasAComment() {
        var reference = ConfigLoader.reference();
        for (String key : ConfigLoader.knownKeys()) {
            assertTrue(!reference.getValue(key).origin().comments().isEmpty(), "reference.conf comments " + key);
        }
    }

    @Test
    void credentialsNeverReachTheRecordedConfiguration() {
        PipelineConfig c = ConfigLoader.load(null, List.of("spark.hadoop.fs.s3a.secret.key=TopSecret1",
                "spark.hadoop.fs.s3a.access.key=AKIAEXAMPLE", "spark.executor.memory=4g"));
        assertEquals("TopSecret1", c.sparkConf().get("spark.hadoop.fs.s3a.secret.key"), "the job still gets it");
        assertTrue(!c.resolvedHocon().contains("TopSecret1") && !c.resolvedHocon().contains("AKIAEXAMPLE"), c.resolvedHocon());
        assertTrue(c.resolvedHocon().contains("4g"), "other settings are kept");
    }

    @Test
    void storageLevelIsValidatedAgainstSpark() {
        assertEquals("DISK_ONLY", ConfigLoader.load(null, List.of("train.storage-level=disk_only")).train().storageLevel());
        InvalidConfigException e = assertThrows(InvalidConfigException.class,
                () -> ConfigLoader.load(null, List.of("train.storage-level=IN_THE_CLOUD")));
        assertEquals("train.storage-level", e.key());
    }
}
