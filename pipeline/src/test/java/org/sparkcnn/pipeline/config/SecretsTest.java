package org.sparkcnn.pipeline.config;

import org.apache.spark.SparkConf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The credential-key rule against real Hadoop, Spark and cloud-connector key names. */
class SecretsTest {

    @ParameterizedTest
    @ValueSource(strings = {
            // S3A
            "fs.s3a.secret.key", "fs.s3a.access.key", "fs.s3a.session.token", "fs.s3a.encryption.key",
            "fs.s3a.server-side-encryption.key", "fs.s3a.bucket.my-bucket.secret.key",
            "fs.s3a.bucket.my-bucket.access.key", "fs.s3a.bucket.my-bucket.encryption.key",
            "fs.s3a.bucket.b.server-side-encryption.key", "fs.s3a.bucket.b.session.token",
            "fs.s3a.security.credential.provider.path", "fs.s3a.aws.credentials.provider",
            "fs.s3a.delegation.token.binding", "fs.s3.awsSecretAccessKey", "fs.s3n.awsAccessKeyId",
            // Azure (wasb / abfs): account keys, SAS tokens, OAuth
            "fs.azure.account.key.myaccount.blob.core.windows.net",
            "fs.azure.account.key.myaccount.dfs.core.windows.net",
            "fs.azure.sas.mycontainer.myaccount.blob.core.windows.net", "fs.azure.sas.token.provider.type",
            "fs.azure.sas.fixed.token", "fs.azure.sas.fixed.token.myaccount.dfs.core.windows.net",
            "fs.azure.account.oauth2.client.secret", "fs.azure.account.oauth2.client.secret.myaccount.dfs.core.windows.net",
            "fs.azure.account.oauth2.refresh.token", "fs.azure.account.oauth.provider.type.x.signature",
            "fs.adl.oauth2.credential", "fs.adl.oauth2.refresh.token",
            // GCS connector
            "fs.gs.auth.service.account.private.key", "fs.gs.auth.service.account.private.key.id",
            "google.cloud.auth.service.account.private.key", "google.cloud.auth.service.account.private.key.id",
            "google.cloud.auth.service.account.json.keyfile", "fs.gs.auth.service.account.json.keyfile",
            "fs.gs.auth.client.secret", "fs.gs.auth.refresh.token", "fs.gs.encryption.key",
            // Alibaba OSS, Tencent COS, Huawei OBS
            "fs.oss.accessKeyId", "fs.oss.accessKeySecret", "fs.cosn.userinfo.secretKey", "fs.obs.secret.key",
            // Hadoop, Spark, JVM
            "hadoop.security.credential.provider.path", "hadoop.http.authentication.signature.secret.file",
            "spark.authenticate.secret", "spark.ssl.keyPassword", "spark.ssl.keyStorePassword",
            "spark.ssl.trustStorePassword", "spark.kubernetes.authenticate.driver.oauthToken",
            "javax.net.ssl.keyStorePassword", "spark.hadoop.fs.s3a.secret.key",
            "spark.hadoop.fs.azure.account.key.acct.blob.core.windows.net", "spark.executorEnv.AWS_SECRET_ACCESS_KEY",
            "spark.executorEnv.AWS_SESSION_TOKEN", "spark.executorEnv.DB_PASSWD", "spark.yarn.appMasterEnv.GITHUB_TOKEN",
            "my.api_key", "some.apiKey", "x.passphrase", "x.signing.key", "x.master-key", "x.pwd",
            "FS.S3A.SECRET.KEY", "spark.hadoop.fs.azure.sasToken", "x.sas"})
    void credentialKeys(String key) {
        assertTrue(Secrets.isSecretKey(key), key);
        assertTrue(Pattern.compile(Secrets.sparkRedactionRegex(null)).matcher(key).find(), "Spark redacts " + key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fs.s3a.endpoint", "fs.s3a.endpoint.region", "fs.s3a.path.style.access",
            "fs.s3a.encryption.algorithm", "fs.s3a.server-side-encryption-algorithm", "fs.s3a.signing-algorithm",
            "fs.s3a.bucket.my-bucket.endpoint", "fs.s3a.assumed.role.arn", "fs.s3a.connection.ssl.enabled",
            "fs.azure.account.auth.type.myaccount.dfs.core.windows.net", "fs.azure.account.oauth2.client.id",
            "fs.azure.account.hns.enabled", "fs.gs.auth.service.account.email", "fs.gs.project.id",
            "fs.gs.auth.type", "spark.authenticate.enableSaslEncryption", "spark.network.crypto.saslFallback",
            "spark.ssl.keyStore", "spark.ssl.keyStoreType", "spark.executor.memory", "spark.executor.extraJavaOptions",
            "spark.kryo.registrator", "spark.redaction.regex", "spark.master", "spark.app.name",
            "hadoop.security.authentication", "dfs.encrypt.data.transfer", "demo.classes", "ingest.augment.copies",
            "train.batch-size-per-worker", "augment.brightness-range", "output.uri", "corpus.uri", "model.init"})
    void ordinaryKeys(String key) {
        assertFalse(Secrets.isSecretKey(key), key);
    }

    @Test
    void noKeyOfOurOwnLooksLikeACredential() {
        for (String key : ConfigLoader.knownKeys()) {
            assertFalse(Secrets.isSecretKey(key), key);
        }
    }

    @Test
    void shownHidesOnlyCredentialValues() {
        assertEquals(Secrets.REDACTED, Secrets.shown("fs.s3a.secret.key", "abc"));
        assertEquals("abc", Secrets.shown("fs.s3a.endpoint", "abc"));
    }

    @Test
    void sparkRedactionRegexKeepsTheUsersAndAddsOurs() {
        String ours = Secrets.sparkRedactionRegex(null);
        assertTrue(Pattern.compile(ours).matcher("spark.hadoop.fs.gs.auth.service.account.private.key").find());
        String combined = Secrets.sparkRedactionRegex("(?i)mycompany\\.vault");
        assertTrue(Pattern.compile(combined).matcher("spark.mycompany.vault").find(), "the user's regex still applies");
        assertTrue(Pattern.compile(combined).matcher("spark.hadoop.fs.azure.account.key.a.blob.core.windows.net").find());
        assertEquals(combined, Secrets.sparkRedactionRegex(combined), "idempotent");
    }

    /** Spark's own redaction (SparkConf.toDebugString, the environment page, the event log) with the regex we set. */
    @Test
    void sparkRedactsOurFamiliesWithTheRegexWeSet() {
        String[][] planted = {{"spark.hadoop.fs.azure.account.key.acct.blob.core.windows.net", "AzureKey111"},
                {"spark.hadoop.fs.gs.auth.service.account.private.key", "GcsPrivateKey222"},
                {"spark.hadoop.fs.s3a.encryption.key", "SseKey333"},
                {"spark.hadoop.fs.azure.sas.c.acct.blob.core.windows.net", "SasSig444"}};
        SparkConf withDefault = new SparkConf(false);
        SparkConf withOurs = new SparkConf(false).set("spark.redaction.regex", Secrets.sparkRedactionRegex(null));
        for (String[] kv : planted) {
            withDefault.set(kv[0], kv[1]);
            withOurs.set(kv[0], kv[1]);
        }
        for (String[] kv : planted) {
            assertTrue(withDefault.toDebugString().contains(kv[1]), "Spark's default regex misses " + kv[0]);
            assertFalse(withOurs.toDebugString().contains(kv[1]), kv[0] + " in " + withOurs.toDebugString());
        }
    }
}
