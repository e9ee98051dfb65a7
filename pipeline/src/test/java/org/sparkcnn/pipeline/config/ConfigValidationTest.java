package org.sparkcnn.pipeline.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.error.InvalidConfigException;
import org.sparkcnn.pipeline.spark.SparkSessionFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settings that used to run and then crash (exit 1) or silently misbehave are refused when the configuration is
 * loaded (exit 2) with the key, the value and the limit; no error message ever shows a credential's value.
 */
class ConfigValidationTest {
    @TempDir
    Path tmp;

    private static PipelineConfig load(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    private static InvalidConfigException refused(String... overrides) {
        return assertThrows(InvalidConfigException.class, () -> load(overrides), Arrays.toString(overrides));
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
        }
    }

    // ---- early stopping on a validation metric without a validation split

    @Test
    void earlyStoppingOnAValidationMetricNeedsAValidationSplit() {
        for (String monitor : List.of("val_loss", "val_accuracy")) {
            InvalidConfigException e = refused("early-stopping.enabled=true", "early-stopping.monitor=" + monitor,
                    "split.validation-fraction=0");
            assertEquals("early-stopping.monitor", e.key());
            assertMentions(e, monitor, "split.validation-fraction", "'loss'");
        }
        load("early-stopping.enabled=true", "early-stopping.monitor=loss", "split.validation-fraction=0");
        load("early-stopping.enabled=true", "early-stopping.monitor=val_loss", "split.validation-fraction=0.01");
        load("early-stopping.enabled=false", "early-stopping.monitor=val_loss", "split.validation-fraction=0");
    }

    // ---- shard size limits (ShardWriter's int-sized ByteBuffer.allocateDirect, ShardReader's int row offsets)

    @Test
    void shardTargetMbStopsWhereAShardsFloatsStopFittingOneBuffer() {
        assertEquals(511, ShardLimits.MAX_SHARD_TARGET_MB);
        assertEquals(511, load("ingest.shard-target-mb=511").ingest().shardTargetMb());
        InvalidConfigException e = refused("ingest.shard-target-mb=512");
        assertEquals("ingest.shard-target-mb", e.key());
        assertMentions(e, "512", "511", "2147483647");
        // 64x64x1 = 4096 pixels divides 512 MiB: such a shard as floats is 2^31 bytes, one more than a buffer holds
        assertTrue(512L * (1 << 20) / 4096 * 4096 * Float.BYTES > Integer.MAX_VALUE);
        refused("ingest.shard-target-mb=512", "image.channels=1");
        refused("ingest.shard-target-mb=4096");
    }

    @Test
    void examplesPerShardMustFitOneBufferForThisImageSize() {
        // 64x64x3 = 12288 pixels, 49152 bytes as floats: 43690 x 49152 = 2147450880 <= 2^31 - 1 < 43691 x 49152
        int limit = Integer.MAX_VALUE / (12288 * 4);
        assertEquals(43_690, limit);
        assertEquals(limit, ShardLimits.maxExamplesAsFloats(load().image()));
        assertEquals(limit, load("ingest.examples-per-shard=" + limit).ingest().examplesPerShard());
        InvalidConfigException e = refused("ingest.examples-per-shard=" + (limit + 1));
        assertEquals("ingest.examples-per-shard", e.key());
        assertMentions(e, "value " + (limit + 1), "limit " + limit, "64x64x3");
        // a bigger image lowers it: 512x512x3 = 786432 pixels, 682 of them fit as floats
        load("ingest.examples-per-shard=682", "image.height=512", "image.width=512");
        assertMentions(refused("ingest.examples-per-shard=683", "image.height=512", "image.width=512"), "limit 682");
    }

    @Test
    void aMinibatchMustFitOneFloatBuffer() {
        assertEquals(43_690, load("train.batch-size-per-worker=43690").train().batchSizePerWorker());
        InvalidConfigException e = refused("train.batch-size-per-worker=43691");
        assertEquals("train.batch-size-per-worker", e.key());
        assertMentions(e, "value 43691", "limit 43690");
        load("train.batch-size-per-worker=682", "image.height=512", "image.width=512");
        refused("train.batch-size-per-worker=683", "image.height=512", "image.width=512");
    }

    @Test
    void augmentedCopiesMustFitTheTrainShards() {
        // 17476 examples x 12288 bytes = 214745088 bytes a copy of the shard: 10 copies of it fit in 2^31 - 1
        // (1 original + 9 augmented), 11 do not
        assertEquals(9, load("ingest.examples-per-shard=17476", "ingest.augment.copies=9").ingest().augmentCopies());
        InvalidConfigException e = refused("ingest.examples-per-shard=17476", "ingest.augment.copies=10");
        assertEquals("ingest.augment.copies", e.key());
        assertMentions(e, "value 10", "limit 9", "17476", "2147483647");
        // sized by shard-target-mb: 511 MiB of 64x64x3 examples (43605 a shard) leave room for 3 copies
        load("ingest.shard-target-mb=511", "ingest.augment.copies=3");
        refused("ingest.shard-target-mb=511", "ingest.augment.copies=4");
        // the defaults (64 MiB, 5461 examples a shard) allow 31
        load("ingest.augment.copies=31");
        refused("ingest.augment.copies=32");
        assertEquals(31, Integer.MAX_VALUE / (5461L * 12288) - 1);
    }

    @Test
    void largestShardIsWhatTheLimitsBound() {
        PipelineConfig c = load("ingest.examples-per-shard=100", "ingest.augment.copies=4");
        assertEquals(500, ShardLimits.largestShardExamples(c.ingest(), c.image()));
    }

    // ---- JavaCPP sizes in the executors' JVM options

    @Test
    void javacppSizesInExecutorOptionsAreCheckedBeforeSparkStarts() {
        load("spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=50% -Dorg.bytedeco.javacpp.maxphysicalbytes=12GB");
        InvalidConfigException e = refused("spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=6GiB");
        assertEquals("spark.executor.extraJavaOptions", e.key());
        assertMentions(e, "-Dorg.bytedeco.javacpp.maxbytes=6GiB", "50%");
    }

    // ---- credentials: never echoed, never recorded

    @Test
    void anUnknownCredentialKeyIsRefusedWithoutEchoingItsValue() {
        InvalidConfigException e = refused("fs.s3a.secret.key=Pl4nted-Unknown-Key-Secret");
        assertEquals("fs.s3a.secret.key", e.key());
        assertFalse(e.getMessage().contains("Pl4nted-Unknown-Key-Secret"), e.getMessage());
        assertMentions(e, "spark.hadoop.fs.s3a.secret.key");
        // an ordinary unknown key still shows its value, which helps spot a misplaced setting
        assertMentions(refused("train.epocs=33"), "33", "train.epochs");
        // did-you-mean names a key, never a value
        InvalidConfigException near = refused("train.secret=Pl4nted-Near-Secret");
        assertFalse(near.getMessage().contains("Pl4nted-Near-Secret"), near.getMessage());
    }

    @Test
    void malformedSetArgumentsDoNotEchoCredentials() {
        BadInputException noEquals = assertThrows(BadInputException.class,
                () -> load("spark.hadoop.fs.s3a.secret.key:Pl4nted-Colon-Secret"));
        assertFalse(noEquals.getMessage().contains("Pl4nted-Colon-Secret"), noEquals.getMessage());
        BadInputException badList = assertThrows(BadInputException.class,
                () -> load("spark.hadoop.fs.azure.account.key.a.blob.core.windows.net=[Pl4nted-List-Secret"));
        assertFalse(badList.getMessage().contains("Pl4nted-List-Secret"), badList.getMessage());
    }

    @Test
    void aJobFileThatCannotBeParsedDoesNotEchoACredential() throws Exception {
        Path conf = tmp.resolve("job.conf");
        Files.writeString(conf, "spark {\n  hadoop.fs.azure.account.key.acct.blob.core.windows.net = Pl4nted File Secret }}\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ConfigLoader.load(conf.toFile(), List.of()));
        assertFalse(e.getMessage().contains("Pl4nted"), e.getMessage());
        assertMentions(e, "job.conf");
    }

    @Test
    void everyCredentialFamilyIsRedactedInTheRecordedConfiguration() throws Exception {
        List<String> secrets = new ArrayList<>();
        List<String> overrides = new ArrayList<>();
        String[] keys = {"spark.hadoop.fs.azure.account.key.acct.blob.core.windows.net",
                "spark.hadoop.fs.azure.sas.container.acct.blob.core.windows.net",
                "spark.hadoop.fs.gs.auth.service.account.private.key",
                "spark.hadoop.fs.gs.auth.service.account.private.key.id",
                "spark.hadoop.google.cloud.auth.service.account.private.key",
                "spark.hadoop.fs.s3a.encryption.key", "spark.hadoop.fs.s3a.server-side-encryption.key",
                "spark.hadoop.fs.s3a.bucket.data.secret.key", "spark.hadoop.fs.s3a.access.key",
                "spark.hadoop.fs.azure.account.oauth2.client.secret", "spark.authenticate.secret",
                "spark.ssl.keyStorePassword"};
        for (int i = 0; i < keys.length; i++) {
            secrets.add("Pl4nted-" + i + "-Value");
            overrides.add(keys[i] + "=" + secrets.get(i));
        }
        // a list under a credential key (the old rule let lists through)
        overrides.add("spark.hadoop.fs.s3a.session.token=[Pl4nted-List-Token]");
        secrets.add("Pl4nted-List-Token");
        // and one from a job file, as nested HOCON objects
        Path conf = tmp.resolve("job.conf");
        Files.writeString(conf, "spark { hadoop { fs { gs { encryption { key = \"Pl4nted-File-Value\" } } } } }\n");
        secrets.add("Pl4nted-File-Value");
        PipelineConfig c = ConfigLoader.load(conf.toFile(), overrides);
        String everythingShown = c.resolvedHocon() + "\n" + c + "\n" + ConfigFingerprint.tree(c);
        for (String s : secrets) {
            assertFalse(everythingShown.contains(s), s + " in " + everythingShown);
        }
        assertEquals("Pl4nted-0-Value", c.sparkConf().get(keys[0]), "the job still gets the value");
        assertTrue(c.resolvedHocon().contains(Secrets.REDACTED));
    }

    @Test
    void sparkIsToldToRedactOurFamilies() {
        PipelineConfig c = load();
        String regex = SparkSessionFactory.sparkConf(c, "t").get("spark.redaction.regex");
        assertTrue(java.util.regex.Pattern.compile(regex).matcher("spark.hadoop.fs.azure.account.key.a").find(), regex);
        PipelineConfig own = load("spark.redaction.regex=(?i)vault");
        String combined = own.sparkConf().get("spark.redaction.regex");
        assertTrue(combined.contains("(?i)vault") && combined.contains(Secrets.SECRET_KEY.pattern()), combined);
    }
}
