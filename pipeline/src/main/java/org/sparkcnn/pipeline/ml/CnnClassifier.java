package org.sparkcnn.pipeline.ml;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.ingest.IngestJob;
import org.sparkcnn.pipeline.spark.ClusterPaths;
import org.sparkcnn.pipeline.train.TrainJob;
import org.sparkcnn.pipeline.train.TrainResult;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A CNN image classifier as a Spark ML {@link Estimator}: {@code fit(df)} takes an image column (Spark's
 * {@code image} data source struct, or encoded bytes such as {@code binaryFile}'s {@code content}) and a label
 * column (class names, indexed alphabetically, or class indexes), and trains exactly as the {@code train} verb does:
 * the rows are ingested into seeded train/validation shards under {@link #checkpointLocation} (decoded and resized on
 * the executors, unusable rows quarantined with the reason), then trained with synchronous parameter averaging, a
 * checkpoint per epoch and early stopping. Fitting the same estimator again on the same rows resumes its run (a
 * crashed fit picks up at its last checkpoint); {@link #runId} names the run.
 *
 * <p>Every setting a typed param does not cover can be given as the CLI would, {@code key=value} in
 * {@link #config}; all of them are validated together, with the CLI's rules, before any job runs.
 */
public final class CnnClassifier extends Estimator<CnnClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    private final String uid;

    private final Param<String> imageCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> predictedLabelCol;
    private final Param<String> errorCol;
    private final Param<String> architecture;
    private final StringArrayParam layers;
    private final IntParam imageHeight;
    private final IntParam imageWidth;
    private final IntParam imageChannels;
    private final Param<String> resizeMode;
    private final Param<String> augment;
    private final Param<String> optimizer;
    private final DoubleParam learningRate;
    private final IntParam epochs;
    private final IntParam batchSizePerWorker;
    private final IntParam averagingFrequency;
    private final IntParam workers;
    private final LongParam seed;
    private final DoubleParam validationFraction;
    private final IntParam earlyStoppingPatience;
    private final Param<String> earlyStoppingMonitor;
    private final Param<String> checkpointLocation;
    private final Param<String> runId;
    private final BooleanParam verbose;
    private final StringArrayParam config;

    public CnnClassifier() {
        this(Identifiable$.MODULE$.randomUID("cnnClassifier"));
    }

    public CnnClassifier(String uid) {
        this.uid = uid;
        // params after the uid: a param takes its parent's uid when it is made
        this.imageCol = new Param<>(this, "imageCol",
                "the image column: Spark's image struct (format \"image\") or encoded image bytes (format "
                        + "\"binaryFile\")");
        this.labelCol = new Param<>(this, "labelCol",
                "the label column: class names (strings, indexed alphabetically) or class indexes 0..k-1");
        this.predictionCol = new Param<>(this, "predictionCol", "the model's predicted class index column");
        this.probabilityCol = new Param<>(this, "probabilityCol", "the model's class probability vector column");
        this.predictedLabelCol = new Param<>(this, "predictedLabelCol", "the model's predicted class name column");
        this.errorCol = new Param<>(this, "errorCol", "the model's column saying why a row could not be classified");
        this.architecture = new Param<>(this, "architecture",
                "model.architecture: lenet, mnist, food101, arctic, alexnet, vgg16, resnet50, or custom "
                        + "(with layers)",
                ParamValidators.inArray(new String[] {"lenet", "mnist", "food101", "arctic", "alexnet", "vgg16",
                        "resnet50", "custom"}));
        this.layers = new StringArrayParam(this, "layers",
                "model.layers for architecture custom, e.g. [\"conv 5x5x20 relu\", \"maxpool 2\", \"dense "
                        + "64 relu\"]");
        this.imageHeight = new IntParam(this, "imageHeight", "image.height", ParamValidators.gtEq(8));
        this.imageWidth = new IntParam(this, "imageWidth", "image.width", ParamValidators.gtEq(8));
        this.imageChannels = new IntParam(this, "imageChannels",
                "image.channels: 1 or 3",
                ParamValidators.inArray(new int[] {1, 3}));
        this.resizeMode = new Param<>(this, "resizeMode",
                "image.resize-mode: stretch or center-crop",
                ParamValidators.inArray(new String[] {"stretch", "center-crop"}));
        this.augment = new Param<>(this, "augment",
                "the augment block, as HOCON, e.g. \"rotation-range = 10, horizontal-flip = true\" (empty: "
                        + "none)");
        this.optimizer = new Param<>(this, "optimizer", "train.optimizer: adam, sgd, nesterovs, ...");
        this.learningRate = new DoubleParam(this, "learningRate", "train.learning-rate", ParamValidators.gt(0));
        this.epochs = new IntParam(this, "epochs", "train.epochs", ParamValidators.gtEq(1));
        this.batchSizePerWorker = new IntParam(this, "batchSizePerWorker",
                "train.batch-size-per-worker",
                ParamValidators.gtEq(1));
        this.averagingFrequency = new IntParam(this, "averagingFrequency",
                "train.averaging-frequency",
                ParamValidators.gtEq(1));
        this.workers = new IntParam(this, "workers",
                "train.workers: training workers (0 = Spark's default parallelism)",
                ParamValidators.gtEq(0));
        this.seed = new LongParam(this, "seed", "seed: the split, initialisation, shuffles and augmentation");
        this.validationFraction = new DoubleParam(this, "validationFraction",
                "split.validation-fraction of the rows held out to validate each epoch",
                ParamValidators.inRange(0, 0.9));
        this.earlyStoppingPatience = new IntParam(this, "earlyStoppingPatience",
                "epochs without improvement of earlyStoppingMonitor before stopping (0 = no early stopping)",
                ParamValidators.gtEq(0));
        this.earlyStoppingMonitor = new Param<>(this, "earlyStoppingMonitor",
                "early-stopping.monitor: val_loss, val_accuracy or loss",
                ParamValidators.inArray(new String[] {"val_loss", "val_accuracy", "loss"}));
        this.checkpointLocation = new Param<>(this, "checkpointLocation",
                "output.uri: where the run (shards, checkpoints, metric tables, report) goes, on any Hadoop "
                        + "filesystem " + "(empty: a local temporary folder, local masters only)");
        this.runId = new Param<>(this, "runId", "run.id (empty: this estimator's uid)");
        this.verbose = new BooleanParam(this, "verbose", "print every averaging round");
        this.config = new StringArrayParam(this, "config",
                "further settings as the CLI's --set takes them, key=value (e.g. train.lr-schedule=cosine)");
        setDefault(imageCol, "image");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(predictedLabelCol, "predictedLabel");
        setDefault(errorCol, "error");
        setDefault(architecture, "lenet");
        setDefault(layers, new String[0]);
        setDefault(imageHeight, 64);
        setDefault(imageWidth, 64);
        setDefault(imageChannels, 3);
        setDefault(resizeMode, "stretch");
        setDefault(augment, "");
        setDefault(optimizer, "adam");
        setDefault(learningRate, 0.001);
        setDefault(epochs, 10);
        setDefault(batchSizePerWorker, 32);
        setDefault(averagingFrequency, 5);
        setDefault(workers, 2);
        setDefault(seed, 42L);
        setDefault(validationFraction, 0.2);
        setDefault(earlyStoppingPatience, 0);
        setDefault(earlyStoppingMonitor, "val_loss");
        setDefault(checkpointLocation, "");
        setDefault(runId, "");
        setDefault(verbose, false);
        setDefault(config, new String[0]);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** Checks the columns (names and types) and every setting, then returns the model's output schema. */
    @Override
    public StructType transformSchema(StructType schema) {
        ImageColumn.of(schema, getImageCol());
        ImageColumn.field(schema, getLabelCol(), "labelCol");
        toConfig("dataframe:schema-check", "schema-check");
        return CnnClassificationModel.outputSchema(schema, getPredictionCol(), getProbabilityCol(),
                getPredictedLabelCol(), getErrorCol());
    }

    @Override
    public CnnClassificationModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        SparkSession spark = dataset.sparkSession();
        String master = spark.sparkContext().master();
        org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String run = getRunId().isEmpty() ? uid : getRunId();
        resolvePaths(toConfig("dataframe:schema-check", run), master, hadoop);   // before the rows are listed
        DataFrameSource source = new DataFrameSource(dataset, getImageCol(), getLabelCol());
        PipelineConfig cfg = resolvePaths(toConfig(source.uri(), run), master, hadoop);
        PrintStream out = System.out;
        new IngestJob(out).run(spark, cfg, source);
        TrainResult result = new TrainJob(out).run(spark, cfg);
        CnnClassificationModel model = CnnClassificationModel.fromRun(uid, spark, cfg, result.finalCheckpoint());
        copyValues(model, extractParamMap());
        return model.setParent(this);
    }

    /**
     * The run's location where the job runs, as the CLI settles it ({@code ClusterPaths}): a path without a scheme is
     * on {@code fs.defaultFS}; on a master whose executors are elsewhere (YARN, Kubernetes, standalone) an unset or
     * local {@link #checkpointLocation} is refused, since every executor would write to its own disk.
     */
    PipelineConfig resolvePaths(PipelineConfig cfg, String master, org.apache.hadoop.conf.Configuration hadoop) {
        if (getCheckpointLocation().isEmpty() && ClusterPaths.executorsElsewhere(master)) {
            throw new IllegalArgumentException("CnnClassifier " + uid + ": checkpointLocation is not set; on a "
                    + "cluster (master " + master + ") set it to a folder every executor reaches, e.g. "
                    + "setCheckpointLocation(\"hdfs:///runs\") or an s3a:// URI");
        }
        try {
            return ClusterPaths.resolve(cfg, master, hadoop);
        } catch (org.sparkcnn.pipeline.error.BadInputException e) {
            throw new IllegalArgumentException("CnnClassifier " + uid + ": checkpointLocation: " + e.getMessage(), e);
        }
    }

    /** The settings as the CLI would have them: typed params first, then {@link #config}, validated together. */
    PipelineConfig toConfig(String corpusUri, String run) {
        String output = getCheckpointLocation().isEmpty()
                ? Path.of(System.getProperty("java.io.tmpdir"), "spark-cnn-ml").toUri().toString()
                : getCheckpointLocation();
        List<String> sets = new ArrayList<>(List.of(
                "run.id=" + run, "output.uri=" + output, "corpus.uri=" + corpusUri,
                "image.height=" + getImageHeight(), "image.width=" + getImageWidth(),
                "image.channels=" + getImageChannels(), "image.resize-mode=" + getResizeMode(),
                "model.architecture=" + getArchitecture(),
                "train.optimizer=" + getOptimizer(), "train.learning-rate=" + getLearningRate(),
                "train.epochs=" + getEpochs(), "train.batch-size-per-worker=" + getBatchSizePerWorker(),
                "train.averaging-frequency=" + getAveragingFrequency(), "train.workers=" + getWorkers(),
                "seed=" + getSeed(), "split.validation-fraction=" + getValidationFraction(),
                "split.test-fraction=0", "output.verbose=" + getVerbose(),
                "early-stopping.enabled=" + (getEarlyStoppingPatience() > 0),
                "early-stopping.monitor=" + getEarlyStoppingMonitor()));
        if (getEarlyStoppingPatience() > 0) {
            sets.add("early-stopping.patience=" + getEarlyStoppingPatience());
        }
        if (getLayers().length > 0) {
            StringBuilder list = new StringBuilder("[");
            for (String layer : getLayers()) {
                list.append(list.length() > 1 ? ", " : "").append('"').append(layer.replace("\"", "\\\"")).append('"');
            }
            sets.add("model.layers=" + list.append(']'));
        }
        if (!getAugment().isBlank()) {
            sets.add("augment={" + getAugment() + "}");
        }
        sets.addAll(List.of(getConfig()));
        try {
            return ConfigLoader.load(null, sets);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("CnnClassifier " + uid + ": " + e.getMessage(), e);
        }
    }

    @Override
    public CnnClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new MlPersistence.ParamsWriter(this);
    }

    public static MLReader<CnnClassifier> read() {
        return new MlPersistence.ParamsReader<>(CnnClassifier.class);
    }

    public static CnnClassifier load(String path) {
        return read().load(path);
    }

    // params, getters and setters, in Spark ML's style

    public Param<String> imageCol() { return imageCol; }
    public Param<String> labelCol() { return labelCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> probabilityCol() { return probabilityCol; }
    public Param<String> predictedLabelCol() { return predictedLabelCol; }
    public Param<String> errorCol() { return errorCol; }
    public Param<String> architecture() { return architecture; }
    public StringArrayParam layers() { return layers; }
    public IntParam imageHeight() { return imageHeight; }
    public IntParam imageWidth() { return imageWidth; }
    public IntParam imageChannels() { return imageChannels; }
    public Param<String> resizeMode() { return resizeMode; }
    public Param<String> augment() { return augment; }
    public Param<String> optimizer() { return optimizer; }
    public DoubleParam learningRate() { return learningRate; }
    public IntParam epochs() { return epochs; }
    public IntParam batchSizePerWorker() { return batchSizePerWorker; }
    public IntParam averagingFrequency() { return averagingFrequency; }
    public IntParam workers() { return workers; }
    public LongParam seed() { return seed; }
    public DoubleParam validationFraction() { return validationFraction; }
    public IntParam earlyStoppingPatience() { return earlyStoppingPatience; }
    public Param<String> earlyStoppingMonitor() { return earlyStoppingMonitor; }
    public Param<String> checkpointLocation() { return checkpointLocation; }
    public Param<String> runId() { return runId; }
    public BooleanParam verbose() { return verbose; }
    public StringArrayParam config() { return config; }

    public String getImageCol() { return $(imageCol); }
    public String getLabelCol() { return $(labelCol); }
    public String getPredictionCol() { return $(predictionCol); }
    public String getProbabilityCol() { return $(probabilityCol); }
    public String getPredictedLabelCol() { return $(predictedLabelCol); }
    public String getErrorCol() { return $(errorCol); }
    public String getArchitecture() { return $(architecture); }
    public String[] getLayers() { return $(layers); }
    public int getImageHeight() { return (Integer) $(imageHeight); }
    public int getImageWidth() { return (Integer) $(imageWidth); }
    public int getImageChannels() { return (Integer) $(imageChannels); }
    public String getResizeMode() { return $(resizeMode); }
    public String getAugment() { return $(augment); }
    public String getOptimizer() { return $(optimizer); }
    public double getLearningRate() { return (Double) $(learningRate); }
    public int getEpochs() { return (Integer) $(epochs); }
    public int getBatchSizePerWorker() { return (Integer) $(batchSizePerWorker); }
    public int getAveragingFrequency() { return (Integer) $(averagingFrequency); }
    public int getWorkers() { return (Integer) $(workers); }
    public long getSeed() { return (Long) $(seed); }
    public double getValidationFraction() { return (Double) $(validationFraction); }
    public int getEarlyStoppingPatience() { return (Integer) $(earlyStoppingPatience); }
    public String getEarlyStoppingMonitor() { return $(earlyStoppingMonitor); }
    public String getCheckpointLocation() { return $(checkpointLocation); }
    public String getRunId() { return $(runId); }
    public boolean getVerbose() { return (Boolean) $(verbose); }
    public String[] getConfig() { return $(config); }

    public CnnClassifier setImageCol(String v) { return (CnnClassifier) set(imageCol, v); }
    public CnnClassifier setLabelCol(String v) { return (CnnClassifier) set(labelCol, v); }
    public CnnClassifier setPredictionCol(String v) { return (CnnClassifier) set(predictionCol, v); }
    public CnnClassifier setProbabilityCol(String v) { return (CnnClassifier) set(probabilityCol, v); }
    public CnnClassifier setPredictedLabelCol(String v) { return (CnnClassifier) set(predictedLabelCol, v); }
    public CnnClassifier setErrorCol(String v) { return (CnnClassifier) set(errorCol, v); }
    public CnnClassifier setArchitecture(String v) { return (CnnClassifier) set(architecture, v.toLowerCase(Locale.ROOT)); }
    public CnnClassifier setLayers(String... v) { return (CnnClassifier) set(layers, v); }
    public CnnClassifier setImageSize(int height, int width, int channels) {
        set(imageHeight, height);
        set(imageWidth, width);
        return (CnnClassifier) set(imageChannels, channels);
    }
    public CnnClassifier setResizeMode(String v) { return (CnnClassifier) set(resizeMode, v); }
    public CnnClassifier setAugment(String v) { return (CnnClassifier) set(augment, v); }
    public CnnClassifier setOptimizer(String v) { return (CnnClassifier) set(optimizer, v); }
    public CnnClassifier setLearningRate(double v) { return (CnnClassifier) set(learningRate, v); }
    public CnnClassifier setEpochs(int v) { return (CnnClassifier) set(epochs, v); }
    public CnnClassifier setBatchSizePerWorker(int v) { return (CnnClassifier) set(batchSizePerWorker, v); }
    public CnnClassifier setAveragingFrequency(int v) { return (CnnClassifier) set(averagingFrequency, v); }
    public CnnClassifier setWorkers(int v) { return (CnnClassifier) set(workers, v); }
    public CnnClassifier setSeed(long v) { return (CnnClassifier) set(seed, v); }
    public CnnClassifier setValidationFraction(double v) { return (CnnClassifier) set(validationFraction, v); }
    public CnnClassifier setEarlyStopping(String monitor, int patience) {
        set(earlyStoppingMonitor, monitor);
        return (CnnClassifier) set(earlyStoppingPatience, patience);
    }
    public CnnClassifier setCheckpointLocation(String v) { return (CnnClassifier) set(checkpointLocation, v); }
    public CnnClassifier setRunId(String v) { return (CnnClassifier) set(runId, v); }
    public CnnClassifier setVerbose(boolean v) { return (CnnClassifier) set(verbose, v); }
    public CnnClassifier setConfig(String... v) { return (CnnClassifier) set(config, v); }
}
