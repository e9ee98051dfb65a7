package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.security.DeserializationGuard;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One trainable network, a DL4J {@link MultiLayerNetwork} (the tutorials' stacks, AlexNet, custom) or a
 * {@link ComputationGraph} (VGG16, ResNet50), behind the few operations the pipeline needs, so trainers,
 * checkpoints, evaluation and prediction handle both alike.
 */
public final class Network {
    private static final String UNNAMED = "a model zip (source not named)";
    private final MultiLayerNetwork multiLayer;
    private final ComputationGraph graph;
    private FittingPredictions predictions;

    private Network(MultiLayerNetwork multiLayer, ComputationGraph graph) {
        this.multiLayer = multiLayer;
        this.graph = graph;
    }

    /**
     * Wraps an initialised network; its convolution and pooling layers get the oneDNN helpers where available, and
     * its updater applies gradients in place ({@link InPlaceUpdaters}).
     */
    public static Network of(MultiLayerNetwork net) {
        OneDnnHelpers.install(net);
        InPlaceUpdaters.install(net);
        return new Network(net, null);
    }

    public static Network of(ComputationGraph graph) {
        OneDnnHelpers.install(graph);
        InPlaceUpdaters.install(graph);
        return new Network(null, graph);
    }

    public boolean isGraph() {
        return graph != null;
    }

    public MultiLayerNetwork multiLayer() {
        if (multiLayer == null) {
            throw new IllegalStateException("this network is a ComputationGraph");
        }
        return multiLayer;
    }

    public ComputationGraph graph() {
        if (graph == null) {
            throw new IllegalStateException("this network is a MultiLayerNetwork");
        }
        return graph;
    }

    public Model model() {
        return isGraph() ? graph : multiLayer;
    }

    public INDArray params() {
        return model().params();
    }

    public long numParams() {
        return model().numParams();
    }

    public String summary() {
        return isGraph() ? graph.summary() : multiLayer.summary();
    }

    public void setLearningRate(double lr) {
        if (isGraph()) {
            graph.setLearningRate(lr);
        } else {
            multiLayer.setLearningRate(lr);
        }
    }

    /** Inference on a batch of features: the (single) output's probabilities. */
    public INDArray output(INDArray features) {
        return isGraph() ? graph.outputSingle(false, features) : multiLayer.output(features, false);
    }

    /** Mean loss per example on {@code batch} (regularisation included), without training. */
    public double score(DataSet batch) {
        return isGraph() ? graph.score(batch, false) : multiLayer.score(batch, false);
    }

    /** One single-machine update (tests and benchmarks). */
    public void fit(DataSet batch) {
        if (isGraph()) {
            graph.fit(batch);
        } else {
            multiLayer.fit(batch);
        }
    }

    /**
     * One update, as {@link #fit}, returning how many of the minibatch's examples the step's forward pass classified
     * correctly (before the update; see {@link FittingPredictions}); -1 when the network could not say.
     */
    public long fitCounting(DataSet batch) {
        java.util.Collection<?> listeners = isGraph() ? graph.getListeners() : multiLayer.getListeners();
        if (predictions == null || listeners == null || !listeners.contains(predictions)) {
            predictions = new FittingPredictions();
            model().addListeners(predictions);
        }
        predictions.reset();
        fit(batch);
        return predictions.correct(batch.getLabels());
    }

    /** The regularisation term DL4J adds to every minibatch's score (L1, L2, weight decay of trained parameters). */
    public double regularizationScore() {
        return isGraph() ? graph.calcRegularizationScore(true) : multiLayer.calcRegularizationScore(true);
    }

    public Network copy() {
        return isGraph() ? of(graph.clone()) : of(multiLayer.clone());
    }

    /** Off-heap bytes a training step needs for a minibatch (DL4J's memory report; fixed and per-example parts). */
    public long trainingMemoryBytes(InputType input, int batchSize) {
        return isGraph()
                ? graph.getConfiguration().getMemoryReport(input).getTotalMemoryBytes(batchSize, MemoryUseMode.TRAINING, CacheMode.NONE)
                : multiLayer.getLayerWiseConfigurations().getMemoryReport(input)
                .getTotalMemoryBytes(batchSize, MemoryUseMode.TRAINING, CacheMode.NONE);
    }

    /** The updater's state (Adam moments, momentum), a view; {@code null} when the updater keeps none (plain SGD). */
    public INDArray updaterState() {
        INDArray state = isGraph() ? graph.getUpdater(true).getStateViewArray()
                : multiLayer.getUpdater(true).getStateViewArray();
        return state == null || state.isEmpty() ? null : state;
    }

    /** Copies {@code params} into the network's parameters (same length and order as {@link #params()}). */
    public void setParams(INDArray params) {
        if (isGraph()) {
            graph.setParams(params);
        } else {
            multiLayer.setParams(params);
        }
    }

    /** Copies {@code state} into the updater's state (same length as {@link #updaterState()}). */
    public void setUpdaterState(INDArray state) {
        INDArray view = updaterState();
        if (view == null || view.length() != state.length()) {
            throw new IllegalArgumentException("updater state of length " + state.length() + " for an updater holding "
                    + (view == null ? 0 : view.length()));
        }
        view.assign(state);
    }

    /** Updates done so far (Adam's bias correction and iteration schedules read it). */
    public int iterationCount() {
        return isGraph() ? graph.getConfiguration().getIterationCount()
                : multiLayer.getLayerWiseConfigurations().getIterationCount();
    }

    public void setIterationCount(int count) {
        if (isGraph()) {
            graph.getConfiguration().setIterationCount(count);
        } else {
            multiLayer.getLayerWiseConfigurations().setIterationCount(count);
        }
    }

    public int epochCount() {
        return isGraph() ? graph.getConfiguration().getEpochCount()
                : multiLayer.getLayerWiseConfigurations().getEpochCount();
    }

    public void setEpochCount(int count) {
        if (isGraph()) {
            graph.getConfiguration().setEpochCount(count);
        } else {
            multiLayer.getLayerWiseConfigurations().setEpochCount(count);
        }
    }

    /**
     * The configuration as JSON with the iteration and epoch counters zeroed: two networks with equal text have
     * the same layers, updaters and learning rates, whatever their progress.
     */
    public String structureJson() {
        int iterations = iterationCount();
        int epochs = epochCount();
        try {
            setIterationCount(0);
            setEpochCount(0);
            return isGraph() ? graph.getConfiguration().toJson() : multiLayer.getLayerWiseConfigurations().toJson();
        } finally {
            setIterationCount(iterations);
            setEpochCount(epochs);
        }
    }

    /** A fresh, initialised network of the configuration {@link #structureJson()} returned (random parameters). */
    public static Network fromStructureJson(String json, boolean graph) {
        if (graph) {
            ComputationGraph g = new ComputationGraph(
                    org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(json));
            g.init();
            return of(g);
        }
        MultiLayerNetwork n = new MultiLayerNetwork(org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(json));
        n.init();
        return of(n);
    }

    public long updaterStateLength() {
        INDArray state = isGraph()
                ? (graph.getUpdater() == null ? null : graph.getUpdater().getStateViewArray())
                : (multiLayer.getUpdater() == null ? null : multiLayer.getUpdater().getStateViewArray());
        return state == null ? 0 : state.length();
    }

    /** Writes DL4J's model zip ({@link ModelZip}: arrays stored, not deflated); DL4J's ModelSerializer reads it. */
    public void write(OutputStream out, boolean saveUpdater) throws IOException {
        ModelZip.write(model(), out, saveUpdater);
    }

    public byte[] toBytes(boolean saveUpdater) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            write(bytes, saveUpdater);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a ModelSerializer zip of either kind; prefer the overload that names the file, for messages. */
    public static Network read(InputStream in, boolean loadUpdater) throws IOException {
        return read(in.readAllBytes(), loadUpdater, UNNAMED);
    }

    public static Network read(byte[] bytes, boolean loadUpdater) throws IOException {
        return read(bytes, loadUpdater, UNNAMED);
    }

    /**
     * Reads a ModelSerializer zip of either kind (the configuration says which); {@code source} (the file's URI)
     * names it in errors. DL4J's Java deserialisation inside the zip goes through {@link DeserializationGuard}: a
     * zip holding a class off its allow-list is a {@link org.sparkcnn.pipeline.error.BadInputException}.
     */
    public static Network read(InputStream in, boolean loadUpdater, String source) throws IOException {
        return read(in.readAllBytes(), loadUpdater, source);
    }

    public static Network read(byte[] bytes, boolean loadUpdater, String source) throws IOException {
        try {
            org.deeplearning4j.nn.api.Model model = ModelZip.read(bytes, loadUpdater);
            return model instanceof ComputationGraph g ? of(g) : of((MultiLayerNetwork) model);
        } catch (ModelZip.NotBulk e) {
            // arrays of another data type, or larger than the file suggests: DL4J's own reader, guarded
        }
        if (isGraphZip(bytes)) {
            return of(DeserializationGuard.read(source,
                    () -> ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), loadUpdater)));
        }
        return of(DeserializationGuard.read(source,
                () -> ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), loadUpdater)));
    }

    private static boolean isGraphZip(byte[] bytes) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().equals(ModelZip.CONFIGURATION)) {
                    return ModelZip.isGraph(new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        throw new IOException("not a DL4J model file: no " + ModelZip.CONFIGURATION);
    }
}
