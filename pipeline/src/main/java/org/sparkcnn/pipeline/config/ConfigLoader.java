package org.sparkcnn.pipeline.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import org.sparkcnn.pipeline.augment.AugmentConfig;
import org.sparkcnn.pipeline.augment.AugmentConfigParser;
import org.sparkcnn.pipeline.config.PipelineConfig.CorpusConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.CorpusLayoutName;
import org.sparkcnn.pipeline.config.PipelineConfig.DemoConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.IngestConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.ModelConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.Optimizer;
import org.sparkcnn.pipeline.config.PipelineConfig.OutputConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.ResizeMode;
import org.sparkcnn.pipeline.config.PipelineConfig.RunConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.SplitConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.error.InvalidConfigException;

import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses HOCON into a validated {@link PipelineConfig}. Precedence, highest first: {@code --set key=value}
 * overrides, then the job file, then {@code reference.conf}. Unknown keys (outside {@code spark.*}),
 * wrong types and out-of-range values raise {@link InvalidConfigException} naming the key.
 */
public final class ConfigLoader {
    /** Classpath location of the defaults; a package path so no other library's reference.conf can shadow it. */
    public static final String REFERENCE = "org/sparkcnn/pipeline/config/reference.conf";
    private static final String SPARK_PREFIX = "spark";
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final List<String> HADOOP_PREFIXES = List.of("fs.", "hadoop.", "dfs.", "yarn.", "mapreduce.",
            "google.cloud.");
    private static final Set<String> ARCHITECTURES = Set.of("lenet", "mnist", "food101", "arctic", "alexnet", "vgg16", "resnet50", "custom");

    private ConfigLoader() {}

    /** Classpath location of the demo verb's defaults (conf/demo.conf, copied into the jar by the build). */
    public static final String DEMO_DEFAULTS = "org/sparkcnn/pipeline/config/demo.conf";

    /** The demo verb's own defaults, between the job file and {@code reference.conf}. */
    public static Config demoDefaults() {
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), DEMO_DEFAULTS,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /** The defaults alone. */
    public static Config reference() {
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), REFERENCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /**
     * Loads and validates.
     *
     * @param confFile  a local HOCON job file, or null
     * @param overrides {@code key=value} strings, applied in order
     */
    public static PipelineConfig load(File confFile, List<String> overrides) {
        return load(confFile, overrides, ConfigFactory.empty());
    }

    /**
     * Loads and validates, with a verb's own defaults ({@link #demoDefaults()}) between the job file and
     * {@code reference.conf}.
     */
    public static PipelineConfig load(File confFile, List<String> overrides, Config verbDefaults) {
        Config reference = verbDefaults.withFallback(reference());
        Config merged = ConfigFactory.empty();
        if (confFile != null) {
            if (!confFile.isFile()) {
                throw new BadInputException("Config file not found: " + confFile
                        + " (pass an existing HOCON file with --conf, e.g. conf/demo.conf)");
            }
            try {
                merged = ConfigFactory.parseFile(confFile, ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new BadInputException("Cannot parse config file " + confFile + ": "
                        + maskFileSecrets(e.getMessage(), confFile), e);
            }
        }
        for (String override : overrides) {
            merged = applyOverride(merged, override);
        }
        Config resolved;
        try {
            resolved = merged.withFallback(reference).resolve();
        } catch (ConfigException e) {
            throw new BadInputException("Cannot resolve configuration: " + e.getMessage(), e);
        }
        rejectUnknownKeys(resolved);
        try {
            return build(resolved);
        } catch (ConfigException e) {
            // Typesafe's messages name the path and the origin (file and line, or the --set flag).
            throw new BadInputException("Invalid configuration: " + e.getMessage(), e);
        }
    }

    /** Every key of the defaults, sorted; the {@code spark} pass-through block excluded. */
    public static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : reference().entrySet()) {
            keys.add(e.getKey());
        }
        return keys;
    }

    private static Config applyOverride(Config merged, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            // no '=': the whole argument may be a credential's key and value run together, so it is shown only when
            // nothing in it looks like a credential
            throw new BadInputException("Bad --set argument '" + Secrets.shown(override, override)
                    + "': expected key=value, e.g. --set train.epochs=5");
        }
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1).trim();
        try {
            ConfigFactory.empty().withValue(key, ConfigValueFactory.fromAnyRef(value));
        } catch (ConfigException e) {
            throw new BadInputException("Bad --set key '" + key + "': "
                    + (Secrets.isSecretKey(key) ? "not a valid HOCON path" : e.getMessage()));
        }
        return ConfigFactory.empty().withValue(key, overrideValue(key, value)).withFallback(merged);
    }

    /** A list or object written inline ({@code [..]}, {@code {..}}) is parsed as HOCON; anything else stays a string. */
    private static ConfigValue overrideValue(String key, String value) {
        if (value.startsWith("[") || value.startsWith("{")) {
            try {
                return ConfigFactory.parseString("v = " + value, ConfigParseOptions.defaults()
                        .setOriginDescription("--set " + key)).getValue("v");
            } catch (ConfigException e) {
                // HOCON's parse errors quote the text they choke on: none of it for a credential
                throw new BadInputException("Bad --set value for '" + key + "': "
                        + (Secrets.isSecretKey(key) ? "not a valid HOCON list or object (value not shown: the key "
                        + "names a credential)" : e.getMessage()));
            }
        }
        return ConfigValueFactory.fromAnyRef(value, "--set " + key);
    }

    private static void rejectUnknownKeys(Config resolved) {
        Set<String> known = knownKeys();
        for (Map.Entry<String, ConfigValue> e : resolved.entrySet()) {
            String key = e.getKey();
            if (key.equals(SPARK_PREFIX) || key.startsWith(SPARK_PREFIX + ".") || known.contains(key)) {
                continue;
            }
            String hint = KeySuggester.nearest(key, known).map(k -> " Did you mean '" + k + "'?")
                    .orElse(HADOOP_PREFIXES.stream().anyMatch(key::startsWith)
                            ? " Hadoop settings pass through as spark.hadoop." + key + "."
                            : " Run with --help to list the valid keys.");
            // the value helps spot a misplaced setting, but never for a credential (--set fs.s3a.secret.key=...
            // without spark.hadoop. would otherwise print the secret into the scheduler's logs)
            String value = Secrets.isSecretKey(key) ? "value not shown: the key names a credential"
                    : "value " + e.getValue().render();
            throw new InvalidConfigException(key, "unknown key (" + value + ")." + hint);
        }
    }

    private static PipelineConfig build(Config c) {
        String runId = c.getString("run.id").trim();
        if (!runId.isEmpty() && !RUN_ID.matcher(runId).matches()) {
            throw new InvalidConfigException("run.id", "value '" + runId
                    + "' must be 1-128 characters of letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        String outputUri = nonEmpty(c, "output.uri");
        boolean overwrite = c.getBoolean("output.overwrite");
        boolean sharedLocal = c.getBoolean("output.shared-local-filesystem");
        boolean verbose = c.getBoolean("output.verbose");

        CorpusConfig corpus = new CorpusConfig(c.getString("corpus.uri").trim(),
                enumValue(c, "corpus.layout", CorpusLayoutName.class));
        if (corpus.layout() == CorpusLayoutName.DATAFRAME) {
            throw new InvalidConfigException("corpus.layout", "value 'dataframe' is not a layout of files (it names the "
                    + "input of the Spark ML API's CnnClassifier); use auto, food101, directory or train-test");
        }

        ImageConfig image = new ImageConfig(
                intIn(c, "image.height", 8, 4096),
                intIn(c, "image.width", 8, 4096),
                intOneOf(c, "image.channels", 1, 3),
                enumValue(c, "image.resize-mode", ResizeMode.class));

        double validation = doubleIn(c, "split.validation-fraction", 0.0, 0.9);
        double test = doubleIn(c, "split.test-fraction", 0.0, 0.9);
        if (validation + test >= 1.0) {
            throw new InvalidConfigException("split.validation-fraction",
                    "value " + validation + " plus split.test-fraction " + test + " must stay below 1.0");
        }
        long seed = c.getLong("seed");

        IngestConfig ingest = new IngestConfig(
                intIn(c, "ingest.examples-per-shard", 0, 1_000_000),
                shardTargetMb(c),
                doubleIn(c, "ingest.max-bad-fraction", 0.0, 1.0),
                longIn(c, "ingest.min-pixels", 1, Long.MAX_VALUE),
                longIn(c, "ingest.max-pixels", 1, Long.MAX_VALUE),
                enumValue(c, "ingest.decoder", PipelineConfig.Decoder.class),
                intIn(c, "ingest.augment.copies", 0, 100));
        if (ingest.minPixels() > ingest.maxPixels()) {
            throw new InvalidConfigException("ingest.min-pixels", "value " + ingest.minPixels()
                    + " exceeds ingest.max-pixels " + ingest.maxPixels());
        }
        ShardLimits.check(ingest, image);

        String architecture = c.getString("model.architecture").trim().toLowerCase(Locale.ROOT);
        if (!ARCHITECTURES.contains(architecture)) {
            throw new InvalidConfigException("model.architecture", "value '" + architecture
                    + "' is not one of " + new TreeSet<>(ARCHITECTURES)
                    + KeySuggester.nearest(architecture, ARCHITECTURES).map(a -> " (did you mean '" + a + "'?)").orElse(""));
        }

        TrainConfig train = new TrainConfig(
                intIn(c, "train.epochs", 1, 100_000),
                intIn(c, "train.batch-size-per-worker", 1, 65_536),
                intIn(c, "train.averaging-frequency", 1, 100_000),
                intIn(c, "train.workers", 0, 100_000),
                enumValue(c, "train.optimizer", Optimizer.class),
                doubleIn(c, "train.learning-rate", 1e-9, 10.0),
                doubleIn(c, "train.momentum", 0.0, 0.999),
                enumValue(c, "train.lr-schedule", PipelineConfig.LrSchedule.class),
                doubleIn(c, "train.lr-decay", 1e-6, 1.0),
                intIn(c, "train.lr-step-epochs", 1, 100_000),
                intIn(c, "train.warmup-epochs", 0, 100_000),
                doubleIn(c, "train.l2", 0.0, 1.0),
                doubleIn(c, "train.weight-decay", 0.0, 1.0),
                enumValue(c, "train.gradient-normalization", PipelineConfig.GradientNormalizationName.class),
                doubleIn(c, "train.gradient-normalization-threshold", 1e-9, 1e9),
                enumValue(c, "train.loss", PipelineConfig.Loss.class),
                intIn(c, "train.worker-prefetch", 0, 64),
                storageLevel(c, "train.storage-level"),
                enumValue(c, "train.lr-scaling", PipelineConfig.LrScaling.class),
                enumValue(c, "train.trainer", PipelineConfig.Trainer.class),
                enumValue(c, "train.exchange", PipelineConfig.Exchange.class),
                enumValue(c, "train.training-metrics", PipelineConfig.TrainingMetrics.class));
        ShardLimits.checkBatch(train.batchSizePerWorker(), image);
        if (!BuildLine.current().has(train.trainer())) {
            throw new InvalidConfigException("train.trainer", BuildLine.current().missingTrainer(train.trainer()));
        }
        if (train.trainer() == PipelineConfig.Trainer.DL4J_SPARK && train.exchange() == PipelineConfig.Exchange.BARRIER) {
            throw new InvalidConfigException("train.exchange", "value 'barrier' needs train.trainer = spark-averaging"
                    + " (dl4j-spark runs a job per round); set train.exchange = auto or job-per-round");
        }
        String monitor = c.getString("early-stopping.monitor").trim();
        if (!Set.of("val_loss", "val_accuracy", "loss").contains(monitor)) {
            throw new InvalidConfigException("early-stopping.monitor", "value '" + monitor
                    + "' is not one of [val_loss, val_accuracy, loss]");
        }
        PipelineConfig.EarlyStoppingConfig earlyStopping = new PipelineConfig.EarlyStoppingConfig(
                c.getBoolean("early-stopping.enabled"), monitor, intIn(c, "early-stopping.patience", 0, 100_000),
                doubleIn(c, "early-stopping.min-delta", 0.0, 1e9), c.getBoolean("early-stopping.restore-best"));
        if (earlyStopping.enabled() && monitor.startsWith("val_") && validation == 0.0) {
            // there is no validation split, so every epoch's val_* is NaN, never improves, and training would stop
            // after early-stopping.patience epochs whatever it learnt
            throw new InvalidConfigException("early-stopping.monitor", "value '" + monitor + "' needs a validation "
                    + "split, but split.validation-fraction is 0 (no validation examples, so " + monitor
                    + " is never measured and training would stop after early-stopping.patience epochs); set "
                    + "split.validation-fraction above 0 (e.g. 0.2), monitor 'loss' instead, or set "
                    + "early-stopping.enabled = false");
        }

        DemoConfig demo = new DemoConfig(
                intIn(c, "demo.classes", 2, 4),
                intIn(c, "demo.images-per-class", 10, 100_000),
                intIn(c, "demo.image-size", 16, 1024),
                c.getString("demo.corpus-uri").trim());

        Map<String, String> spark = new TreeMap<>();
        if (c.hasPath(SPARK_PREFIX)) {
            for (Map.Entry<String, ConfigValue> e : c.getConfig(SPARK_PREFIX).entrySet()) {
                spark.put(SPARK_PREFIX + "." + e.getKey(), String.valueOf(e.getValue().unwrapped()));
            }
        }
        // from the job file or --set, else as spark-submit --conf passes it (a system property SparkConf reads)
        JavaCppSizes.validateExecutorOptions(spark.getOrDefault(EXECUTOR_JAVA_OPTIONS,
                System.getProperty(EXECUTOR_JAVA_OPTIONS)));
        // Spark's UI, event log and logged SparkConf redact by this regex: make it cover at least our rule
        spark.put(REDACTION_REGEX, Secrets.sparkRedactionRegex(spark.getOrDefault(REDACTION_REGEX,
                System.getProperty(REDACTION_REGEX))));
        AugmentConfig augment = AugmentConfigParser.parse(c);
        if (augment.hasRandomCrop() && (augment.randomCropHeight() > image.height() || augment.randomCropWidth() > image.width())) {
            throw new InvalidConfigException("augment.random-crop", augment.randomCropHeight() + "x" + augment.randomCropWidth()
                    + " does not fit image.height x image.width " + image.height() + "x" + image.width());
        }
        return new PipelineConfig(new RunConfig(runId), new OutputConfig(outputUri, overwrite, sharedLocal, verbose), corpus, image,
                new SplitConfig(validation, test), seed, ingest, modelConfig(c, architecture), train, augment, earlyStopping, intIn(c, "checkpoint.keep-last", 0, 100_000),
                intIn(c, "checkpoint.every-rounds", 0, 1_000_000), demo, spark,
                canonicalJson(c));
    }

    /** {@code model.*}; {@code model.freeze-up-to} and {@code model.fine-tune.*} only mean something with {@code model.init}. */
    private static ModelConfig modelConfig(Config c, String architecture) {
        String init = c.getString("model.init").trim();
        String freezeUpTo = c.getString("model.freeze-up-to").trim();
        double fineTuneLr = doubleIn(c, "model.fine-tune.learning-rate", 0.0, 10.0);
        if (init.isEmpty() && !freezeUpTo.isEmpty()) {
            throw new InvalidConfigException("model.freeze-up-to", "value '" + freezeUpTo + "' needs model.init "
                    + "(freezing only makes sense for pretrained weights); set model.init to a checkpoint or model zip, "
                    + "or leave model.freeze-up-to empty");
        }
        if (init.isEmpty() && fineTuneLr > 0) {
            throw new InvalidConfigException("model.fine-tune.learning-rate", "value " + fineTuneLr + " needs model.init; "
                    + "without pretrained weights set train.learning-rate instead");
        }
        if (!init.isEmpty()) {
            try {
                new org.apache.hadoop.fs.Path(init);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigException("model.init", "value '" + init + "' is not a valid path or URI: "
                        + e.getMessage());
            }
        }
        return new ModelConfig(architecture, LayerSpecParser.parse(c, architecture), init, freezeUpTo, fineTuneLr);
    }

    private static final String REDACTION_REGEX = "spark.redaction.regex";
    private static final String EXECUTOR_JAVA_OPTIONS = "spark.executor.extraJavaOptions";

    /**
     * The configuration as JSON with sorted keys: stable text for manifests, tables and hashes. Values of
     * credential-like keys (e.g. {@code spark.hadoop.fs.s3a.secret.key}) are redacted; the job itself still uses
     * them through the SparkConf.
     */
    static String canonicalJson(Config c) {
        try {
            ObjectMapper mapper = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
            return mapper.writeValueAsString(redact("", c.root().unwrapped()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot render configuration", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Object redact(String path, Object value) {
        if (value instanceof Map<?, ?> map && !Secrets.isSecretKey(path)) {
            Map<String, Object> out = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = path.isEmpty() ? String.valueOf(e.getKey()) : path + "." + e.getKey();
                out.put(String.valueOf(e.getKey()), redact(key, e.getValue()));
            }
            return out;
        }
        return Secrets.isSecretKey(path) ? Secrets.REDACTED : value;
    }

    /**
     * {@code ingest.shard-target-mb}: at most {@link ShardLimits#MAX_SHARD_TARGET_MB}, the whole MiB of pixels whose
     * floats fit one buffer.
     */
    private static int shardTargetMb(Config c) {
        long mb = intIn(c, "ingest.shard-target-mb", 1, Integer.MAX_VALUE);
        if (mb > ShardLimits.MAX_SHARD_TARGET_MB) {
            throw new InvalidConfigException("ingest.shard-target-mb", "value " + mb + " exceeds the limit "
                    + ShardLimits.MAX_SHARD_TARGET_MB + ": " + ShardLimits.FLOAT_WHY + "; set at most "
                    + ShardLimits.MAX_SHARD_TARGET_MB);
        }
        return (int) mb;
    }

    /**
     * A Typesafe parse error of the job file may quote the text it choked on; when that text is the value of a
     * credential-like key, it is replaced by the redaction marker.
     */
    static String maskFileSecrets(String message, File confFile) {
        String masked = message;
        try {
            for (String line : java.nio.file.Files.readAllLines(confFile.toPath())) {
                int sep = indexOfSeparator(line);
                if (sep <= 0 || !Secrets.isSecretKey(line.substring(0, sep))) {
                    continue;
                }
                String value = line.substring(sep + 1).trim();
                for (String piece : value.split("[\\s\"',{}\\[\\]]+")) {
                    if (piece.length() >= 4) {
                        masked = masked.replace(piece, Secrets.REDACTED);
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return "the file cannot be parsed as HOCON (details not shown: " + e.getClass().getSimpleName() + ")";
        }
        return masked;
    }

    private static int indexOfSeparator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        return eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
    }

    private static String storageLevel(Config c, String key) {
        String v = c.getString(key).trim().toUpperCase(Locale.ROOT);
        try {
            org.apache.spark.storage.StorageLevel.fromString(v);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(key, "value '" + v + "' is not a Spark storage level (e.g. MEMORY_AND_DISK_SER, "
                    + "MEMORY_ONLY_SER, DISK_ONLY)");
        }
        return v;
    }

    private static String nonEmpty(Config c, String key) {
        String v = c.getString(key).trim();
        if (v.isEmpty()) {
            throw new InvalidConfigException(key, "must not be empty");
        }
        return v;
    }

    private static int intIn(Config c, String key, int min, int max) {
        long v = number(c, key).longValue();
        double d = number(c, key).doubleValue();
        if (d != Math.rint(d)) {
            throw new InvalidConfigException(key, "value " + d + " must be a whole number");
        }
        if (v < min || v > max) {
            throw new InvalidConfigException(key, "value " + v + " is out of range [" + min + ", " + max + "]");
        }
        return (int) v;
    }

    private static long longIn(Config c, String key, long min, long max) {
        long v = number(c, key).longValue();
        if (v < min || v > max) {
            throw new InvalidConfigException(key, "value " + v + " is out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    private static int intOneOf(Config c, String key, int... allowed) {
        int v = intIn(c, key, Integer.MIN_VALUE, Integer.MAX_VALUE);
        for (int a : allowed) {
            if (a == v) {
                return v;
            }
        }
        throw new InvalidConfigException(key, "value " + v + " must be one of "
                + java.util.Arrays.toString(allowed));
    }

    private static double doubleIn(Config c, String key, double min, double max) {
        double v = number(c, key).doubleValue();
        if (Double.isNaN(v) || v < min || v > max) {
            throw new InvalidConfigException(key, "value " + v + " is out of range [" + min + ", " + max + "]");
        }
        return v;
    }

    private static Number number(Config c, String key) {
        try {
            return c.getNumber(key);
        } catch (ConfigException.WrongType e) {
            throw new InvalidConfigException(key, "value " + Secrets.shown(key, c.getValue(key).render())
                    + " is not a number");
        }
    }

    private static <E extends Enum<E>> E enumValue(Config c, String key, Class<E> type) {
        String raw = c.getString(key).trim();
        String normalised = raw.toUpperCase(Locale.ROOT).replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(normalised)) {
                return constant;
            }
        }
        List<String> names = java.util.Arrays.stream(type.getEnumConstants())
                .map(ConfigLoader::display).collect(Collectors.toList());
        throw new InvalidConfigException(key, "value '" + raw + "' is not one of " + names
                + KeySuggester.nearest(raw.toLowerCase(Locale.ROOT), names).map(n -> " (did you mean '" + n + "'?)").orElse(""));
    }

    /** The HOCON spelling of an enum constant ({@code CENTER_CROP} is written {@code center-crop}). */
    public static String display(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
