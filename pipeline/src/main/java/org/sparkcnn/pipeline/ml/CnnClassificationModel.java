package org.sparkcnn.pipeline.ml;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.augment.Preprocessing;
import org.sparkcnn.pipeline.checkpoint.CheckpointStore;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;
import org.sparkcnn.pipeline.device.DeviceBinding;
import org.sparkcnn.pipeline.ingest.DecodedImage;
import org.sparkcnn.pipeline.ingest.ImageDecoder;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.predict.PredictJob;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A trained CNN as a Spark ML {@link Model}: {@code transform(df)} adds the predicted class index
 * ({@code prediction}), the class probabilities ({@code probability}, a vector), the class name
 * ({@code predictedLabel}) and {@code error}, classifying in minibatches on the executors with the model broadcast
 * once. A row whose image cannot be read keeps its columns, with null predictions and the reason in {@code error}:
 * the job never fails on it. Images are decoded, resized and preprocessed exactly as the training run's were.
 * {@code save}/{@code load} keep the network, the class names and the preprocessing, on any Hadoop filesystem.
 */
public final class CnnClassificationModel extends Model<CnnClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    /** Images per network call on the executors. */
    static final int MINIBATCH = 32;

    private final String uid;
    private final Param<String> imageCol;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> predictedLabelCol;
    private final Param<String> errorCol;

    private final ModelData data;
    private transient Broadcast<byte[]> broadcast;

    /** What a model is beyond its params: the network's bytes, its classes and its input's preprocessing. */
    record ModelData(byte[] network, List<String> classes, ImageConfig image, Preprocessing preprocessing,
                     long maxPixels, PipelineConfig.Decoder decoder) implements java.io.Serializable {
        ModelData {
            classes = List.copyOf(classes);
        }
    }

    /** For {@code defaultCopy}-style construction only; a usable model comes from a fit or {@link #load}. */
    public CnnClassificationModel(String uid) {
        this(uid, null);
    }

    CnnClassificationModel(String uid, ModelData data) {
        this.uid = uid;
        // params after the uid: a param takes its parent's uid when it is made
        this.imageCol = new Param<>(this, "imageCol", "the image column: Spark's image struct or encoded image bytes");
        this.predictionCol = new Param<>(this, "predictionCol", "the predicted class index column");
        this.probabilityCol = new Param<>(this, "probabilityCol", "the class probability vector column");
        this.predictedLabelCol = new Param<>(this, "predictedLabelCol", "the predicted class name column");
        this.errorCol = new Param<>(this, "errorCol", "why a row could not be classified, else null");
        this.data = data;
        setDefault(imageCol, "image");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(predictedLabelCol, "predictedLabel");
        setDefault(errorCol, "error");
    }

    /** The model of a run's checkpoint: its network, classes (from the manifest) and preprocessing. */
    static CnnClassificationModel fromRun(String parentUid, SparkSession spark, PipelineConfig config,
                                          String checkpoint) {
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        RunLayout run = RunLayout.of(config.output().uri(), config.run().id());
        ShardManifest manifest = new ManifestStore(storage).require(run);
        byte[] network = new CheckpointStore(storage, run).loadModel(checkpoint).toBytes(false);
        Preprocessing preprocessing = Preprocessing.read(storage, run)
                .orElseGet(() -> new Preprocessing(config.augment(), null));
        return new CnnClassificationModel(parentUid,
                new ModelData(network, manifest.classes(), PredictJob.imageOf(manifest), preprocessing,
                        config.ingest().maxPixels(), config.ingest().decoder()));
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The class names, index = predicted class. */
    public List<String> classes() {
        return data().classes();
    }

    ModelData data() {
        if (data == null) {
            throw new IllegalStateException("model " + uid + " has no network: use one from CnnClassifier.fit or "
                    + "CnnClassificationModel.load");
        }
        return data;
    }

    /** {@code schema} plus the four output columns; fails naming a column that is missing or already there. */
    static StructType outputSchema(StructType schema, String prediction, String probability, String label,
                                   String error) {
        StructType out = schema;
        for (StructField f : List.of(
                new StructField(prediction, DataTypes.DoubleType, true, org.apache.spark.sql.types.Metadata.empty()),
                new StructField(probability, SQLDataTypes.VectorType(), true, org.apache.spark.sql.types.Metadata.empty()),
                new StructField(label, DataTypes.StringType, true, org.apache.spark.sql.types.Metadata.empty()),
                new StructField(error, DataTypes.StringType, true, org.apache.spark.sql.types.Metadata.empty()))) {
            if (Arrays.asList(schema.fieldNames()).contains(f.name())) {
                throw new IllegalArgumentException("output column '" + f.name() + "' already exists in the DataFrame; "
                        + "choose another name with its set...Col param");
            }
            out = out.add(f);
        }
        return out;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        ImageColumn.of(schema, getImageCol());
        return outputSchema(schema, getPredictionCol(), getProbabilityCol(), getPredictedLabelCol(), getErrorCol());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema(), true);
        ImageColumn kind = ImageColumn.of(dataset.schema(), getImageCol());
        int imageIndex = dataset.schema().fieldIndex(getImageCol());
        SparkSession spark = dataset.sparkSession();
        Broadcast<byte[]> network = broadcast(JavaSparkContext.fromSparkContext(spark.sparkContext()));
        ModelData meta = new ModelData(new byte[0], data().classes(), data().image(), data().preprocessing(),
                data().maxPixels(), data().decoder());
        String source = "model " + uid;
        JavaRDD<Row> rows = dataset.toDF().javaRDD().mapPartitions(it -> {
            DeviceBinding.bindTask();
            Network net = Network.read(network.value(), false, source);
            return new Classifier(it, net, meta, kind, imageIndex);
        });
        return spark.createDataFrame(rows, schema);
    }

    /** The network broadcast once per model (and session), reused by every transform. */
    private synchronized Broadcast<byte[]> broadcast(JavaSparkContext sc) {
        if (broadcast == null || !broadcast.isValid()) {
            broadcast = sc.broadcast(data().network());
        }
        return broadcast;
    }

    /** Rows in, rows with the four output columns out, classified {@value #MINIBATCH} at a time. */
    private static final class Classifier implements Iterator<Row> {
        private final Iterator<Row> in;
        private final Network net;
        private final ModelData meta;
        private final ImageColumn kind;
        private final int imageIndex;
        private final ImageDecoder decoder;
        private final List<Row> ready = new ArrayList<>();
        private int next;

        Classifier(Iterator<Row> in, Network net, ModelData meta, ImageColumn kind, int imageIndex) {
            this.in = in;
            this.net = net;
            this.meta = meta;
            this.kind = kind;
            this.imageIndex = imageIndex;
            this.decoder = new ImageDecoder(meta.image(), 1, meta.maxPixels(), meta.decoder());
        }

        @Override
        public boolean hasNext() {
            if (next < ready.size()) {
                return true;
            }
            ready.clear();
            next = 0;
            List<Row> batch = new ArrayList<>();
            while (batch.size() < MINIBATCH && in.hasNext()) {
                batch.add(in.next());
            }
            classify(batch);
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.get(next++);
        }

        private void classify(List<Row> batch) {
            List<INDArray> inputs = new ArrayList<>();
            String[] errors = new String[batch.size()];
            int[] slot = new int[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                DecodedImage decoded = kind.decode(batch.get(i), imageIndex, decoder);
                if (!decoded.isOk()) {
                    errors[i] = decoded.rejectReason() + ": " + decoded.rejectMessage();
                    slot[i] = -1;
                    continue;
                }
                slot[i] = inputs.size();
                inputs.add(meta.preprocessing().networkInput(decoded.pixels(), meta.image().channels(),
                        meta.image().height(), meta.image().width()));
            }
            double[][] probabilities = new double[inputs.size()][];
            if (!inputs.isEmpty()) {
                INDArray out = net.output(Nd4j.concat(0, inputs.toArray(new INDArray[0])).castTo(DataType.FLOAT));
                for (int r = 0; r < inputs.size(); r++) {
                    probabilities[r] = out.getRow(r).toDoubleVector();
                }
            }
            for (int i = 0; i < batch.size(); i++) {
                Row row = batch.get(i);
                Object[] values = new Object[row.length() + 4];
                for (int c = 0; c < row.length(); c++) {
                    values[c] = row.get(c);
                }
                if (slot[i] >= 0) {
                    double[] p = probabilities[slot[i]];
                    int best = 0;
                    for (int k = 1; k < p.length; k++) {
                        if (p[k] > p[best]) {
                            best = k;
                        }
                    }
                    values[row.length()] = (double) best;
                    values[row.length() + 1] = Vectors.dense(p);
                    values[row.length() + 2] = meta.classes().get(best);
                } else {
                    values[row.length() + 3] = errors[i];
                }
                ready.add(RowFactory.create(values));
            }
        }
    }

    @Override
    public CnnClassificationModel copy(ParamMap extra) {
        CnnClassificationModel copy = new CnnClassificationModel(uid, data);
        copyValues(copy, extra);
        return copy.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new MlPersistence.ModelWriter(this);
    }

    public static MLReader<CnnClassificationModel> read() {
        return new MlPersistence.ModelReader();
    }

    public static CnnClassificationModel load(String path) {
        return read().load(path);
    }

    public Param<String> imageCol() { return imageCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Param<String> probabilityCol() { return probabilityCol; }
    public Param<String> predictedLabelCol() { return predictedLabelCol; }
    public Param<String> errorCol() { return errorCol; }

    public String getImageCol() { return $(imageCol); }
    public String getPredictionCol() { return $(predictionCol); }
    public String getProbabilityCol() { return $(probabilityCol); }
    public String getPredictedLabelCol() { return $(predictedLabelCol); }
    public String getErrorCol() { return $(errorCol); }

    public CnnClassificationModel setImageCol(String v) { return (CnnClassificationModel) set(imageCol, v); }
    public CnnClassificationModel setPredictionCol(String v) { return (CnnClassificationModel) set(predictionCol, v); }
    public CnnClassificationModel setProbabilityCol(String v) { return (CnnClassificationModel) set(probabilityCol, v); }
    public CnnClassificationModel setPredictedLabelCol(String v) { return (CnnClassificationModel) set(predictedLabelCol, v); }
    public CnnClassificationModel setErrorCol(String v) { return (CnnClassificationModel) set(errorCol, v); }
}
