package org.sparkcnn.pipeline.config;

import java.util.regex.Pattern;

/**
 * The one rule for which configuration keys hold credentials. A value under such a key is never recorded
 * (manifest.json, metrics/run.json, the runs table, report.html), never echoed in an error message, and redacted
 * by Spark itself (its UI, event log and {@code SparkConf.toDebugString}) through {@code spark.redaction.regex}.
 *
 * <p>A key is credential-like when its name contains, case-insensitively:
 * <ul>
 *   <li>{@code password}, {@code passwd}, {@code passphrase}, {@code pwd}, {@code secret}, {@code token},
 *       {@code credential}, {@code signature} or {@code keyfile} anywhere (so {@code fs.s3a.session.token},
 *       {@code fs.azure.account.oauth2.client.secret}, {@code spark.ssl.keyStorePassword},
 *       {@code fs.s3a.aws.credentials.provider} and {@code google.cloud.auth.service.account.json.keyfile});</li>
 *   <li>{@code key} right after {@code access}, {@code private}, {@code account}, {@code encryption},
 *       {@code session}, {@code api}, {@code master} or {@code signing}, with or without one {@code .}, {@code -} or
 *       {@code _} between them ({@code fs.s3a.access.key}, {@code fs.s3a.encryption.key},
 *       {@code fs.s3a.server-side-encryption.key}, {@code fs.azure.account.key.<account>.blob.core.windows.net},
 *       {@code fs.gs.auth.service.account.private.key} and its {@code .id}, {@code fs.oss.accessKeyId});</li>
 *   <li>{@code sas} as a word of its own, not inside another ({@code fs.azure.sas.<container>.<account>...},
 *       but not {@code spark.authenticate.enableSaslEncryption}).</li>
 * </ul>
 * Bucket-specific forms ({@code fs.s3a.bucket.<b>.secret.key}) and {@code spark.hadoop.} prefixes are covered
 * because the rule looks for the words anywhere in the key. The access key id is not a secret to AWS, but
 * scanners flag it and it names the account, so it is redacted too. The rule errs towards redacting: a few
 * harmless keys ({@code spark.io.encryption.keySizeBits}, {@code fs.s3a.aws.credentials.provider}) lose their
 * value in the records, which costs a little debugging comfort and leaks nothing.
 */
public final class Secrets {
    /**
     * The rule as a regular expression, searched for anywhere in a key ({@link java.util.regex.Matcher#find()}),
     * exactly as Spark applies {@code spark.redaction.regex}.
     */
    public static final Pattern SECRET_KEY = Pattern.compile("(?i)password|passwd|passphrase|pwd|secret|token"
            + "|credential|signature|keyfile|(?:access|private|account|encryption|session|api|master|signing)[._-]?key"
            + "|(?<![a-z0-9])sas(?![a-z0-9])");
    /** What a redacted value is replaced with. */
    public static final String REDACTED = "*****(redacted)";
    /** Spark's own default {@code spark.redaction.regex} (3.5), kept when combining with ours. */
    public static final String SPARK_DEFAULT_REDACTION_REGEX = "(?i)secret|password|token|access[.]key";

    private Secrets() {}

    /** True when {@code key} names a credential (see the class comment); the value must then never be shown. */
    public static boolean isSecretKey(String key) {
        return key != null && SECRET_KEY.matcher(key).find();
    }

    /** {@code value} for an ordinary key, {@link #REDACTED} for a credential-like one. */
    public static String shown(String key, String value) {
        return isSecretKey(key) ? REDACTED : value;
    }

    /**
     * The {@code spark.redaction.regex} to run with: the one already set (by {@code --conf}, the job file or
     * spark-submit), or Spark's default, combined with ours, so Spark redacts at least what we do.
     */
    public static String sparkRedactionRegex(String existing) {
        String base = existing == null || existing.isBlank() ? SPARK_DEFAULT_REDACTION_REGEX : existing;
        if (base.equals(SECRET_KEY.pattern()) || base.contains("(?:" + SECRET_KEY.pattern() + ")")) {
            return base;
        }
        return "(?:" + base + ")|(?:" + SECRET_KEY.pattern() + ")";
    }
}
