package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oneDNN helpers are a different implementation of the same layers: outputs, losses and every gradient
 * must equal DL4J's own im2col path on the same weights and input. The build runs tests with the oneDNN natives
 * (surefire sets org.bytedeco.javacpp.platform.extension), so the helpers must also really be in use. The graphs'
 * layers turn off DL4J's silent fallback to its own path when a helper throws ({@code cudnnAllowFallback(false)}),
 * so a helper that fails fails the test instead of passing it on DL4J's arithmetic.
 */
class OneDnnHelpersTest {
    private static final String SAME_PADDING_CUSTOM = "model.layers=[{type = conv, filters = 8, kernel = 3, padding = same, activation = relu},"
            + " {type = pool, size = 2}, {type = conv, filters = 8, kernel = 3, stride = 2, activation = relu},"
            + " {type = batch-norm}, {type = dense, units = 16, activation = relu}]";
    // a first layer the input-gradient-free backward pass does not cover (stride 2), and activations whose
    // derivative needs the pre-activation (tanh, sigmoid): both take DL4J's full path
    private static final String STRIDED_TANH_CUSTOM = "model.layers=[{type = conv, filters = 6, kernel = 3, stride = 2, activation = tanh},"
            + " {type = conv, filters = 8, kernel = 3, padding = same, activation = sigmoid}, {type = pool, size = 2},"
            + " {type = conv, filters = 8, kernel = 3, activation = identity}, {type = dense, units = 16, activation = relu}]";

    @Test
    void theTestJvmLoadsTheOneDnnBuildOfTheNatives() {
        assertTrue(OneDnnHelpers.available(), "ND4J natives without oneDNN: is org.bytedeco.javacpp.platform.extension=-onednn set "
                + "and the linux-x86_64-onednn nd4j-native jar on the classpath?");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lenet", "mnist", "food101", "food101-130", "custom", "custom-strided-tanh"})
    void helpersGiveTheSameOutputsAndGradientsAsDl4jsOwnLayers(String architecture) {
        PipelineConfig c = ConfigLoader.load(null, switch (architecture) {
            case "custom" -> List.of("model.architecture=custom", SAME_PADDING_CUSTOM);
            case "custom-strided-tanh" -> List.of("model.architecture=custom", STRIDED_TANH_CUSTOM);
            case "food101-130" -> List.of("model.architecture=food101");
            default -> List.of("model.architecture=" + architecture);
        });
        // food101 at 130 pixels: its first pooling sees 128-pixel maps, which libnd4j's own kernel pools (above
        // OneDnnPoolingHelper.ONE_DNN_MAX_SIDE), the later ones oneDNN
        int size = architecture.equals("food101") ? 48 : architecture.equals("food101-130") ? 130 : 32;
        MultiLayerNetwork plain = new MultiLayerNetwork(ModelFactory.build(c.model(), size, size, 3, 4, c.train(), 11));
        plain.init();
        MultiLayerNetwork helped = plain.clone();
        int installed = OneDnnHelpers.install(helped);
        assertTrue(installed >= 2, "helpers in the convolution and pooling layers: " + installed);
        assertTrue(OneDnnHelpers.skipsInputGradient(helped.getLayer(0)), "the first convolution computes no input gradient");
        for (int i = 1; i < helped.getnLayers(); i++) {
            assertFalse(OneDnnHelpers.skipsInputGradient(helped.getLayer(i)), "layer " + i + " passes its input gradient on");
        }
        for (Layer l : plain.getLayers()) {
            assertFalse(OneDnnHelpers.hasHelper(l), "the reference network runs DL4J's own path");
        }

        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 3, size, size);
        INDArray y = Nd4j.eye(4).getRows(0, 1, 2, 3, 0, 1).castTo(DataType.FLOAT);
        assertClose(plain.output(x, false), helped.output(x, false), "output");

        plain.setInput(x);
        plain.setLabels(y);
        helped.setInput(x);
        helped.setLabels(y);
        Nd4j.getRandom().setSeed(9); // food101's dropout draws the same masks in both
        plain.computeGradientAndScore();
        Nd4j.getRandom().setSeed(9);
        helped.computeGradientAndScore();
        assertEquals(plain.score(), helped.score(), 1e-4 * Math.max(1, Math.abs(plain.score())), "loss");
        for (String key : plain.gradient().gradientForVariable().keySet()) {
            assertClose(plain.gradient().getGradientFor(key), helped.gradient().getGradientFor(key), "gradient " + key);
        }

        // a second step on other data, after an inference pass: the backward pass uses this step's forward output
        INDArray x2 = Nd4j.rand(DataType.FLOAT, 6, 3, size, size);
        helped.output(Nd4j.rand(DataType.FLOAT, 3, 3, size, size), false);
        for (MultiLayerNetwork net : List.of(plain, helped)) {
            net.setInput(x2);
            net.setLabels(y);
            Nd4j.getRandom().setSeed(13);
            net.computeGradientAndScore();
        }
        for (String key : plain.gradient().gradientForVariable().keySet()) {
            assertClose(plain.gradient().getGradientFor(key), helped.gradient().getGradientFor(key), "second step, gradient " + key);
        }
    }

    @Test
    void maxPoolingOverMapsWiderThanOneDnnHandlesWellRunsLibnd4jsOwnKernel() {
        long edge = OneDnnPoolingHelper.ONE_DNN_MAX_SIDE;
        assertFalse(OneDnnPoolingHelper.plainKernel(Nd4j.create(DataType.FLOAT, 2, 8, edge, edge),
                org.deeplearning4j.nn.conf.layers.PoolingType.MAX));
        assertTrue(OneDnnPoolingHelper.plainKernel(Nd4j.create(DataType.FLOAT, 2, 8, edge + 1, 16),
                org.deeplearning4j.nn.conf.layers.PoolingType.MAX));
        assertFalse(OneDnnPoolingHelper.plainKernel(Nd4j.create(DataType.FLOAT, 2, 8, 198, 198),
                org.deeplearning4j.nn.conf.layers.PoolingType.AVG), "average pooling stays with oneDNN");
    }

    @Test
    void aMultiLayerNetworksMaxPoolingLayersAskTheHelperOnTheForwardPassToo() {
        PipelineConfig c = ConfigLoader.load(null, List.of("model.architecture=food101"));
        Network net = ModelFactory.create(c.model(), 130, 130, 3, 4, c.train(), 1);
        MultiLayerNetwork mln = net.multiLayer();
        int sized = 0;
        for (int i = 0; i < mln.getnLayers(); i++) {
            Layer l = mln.getLayer(i);
            if (l instanceof SizedPoolingLayer) {
                sized++;
                assertSame(l, mln.getLayer(mln.getLayerNames().get(i)), "the name map names the same layer");
                assertTrue(OneDnnHelpers.hasHelper(l));
            }
        }
        assertEquals(3, sized, "food101's three max-pooling layers");
        assertEquals(0, OneDnnHelpers.install(mln), "installing twice changes nothing");
    }

    @Test
    void aComputationGraphGetsThemToo() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1))
                .graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                        .cudnnAllowFallback(false).activation(Activation.RELU).build(), "in")
                .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build(), "conv")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").setInputTypes(InputType.convolutional(16, 16, 3)).build();
        ComputationGraph plain = new ComputationGraph(conf);
        plain.init();
        ComputationGraph helped = plain.clone();
        assertEquals(2, OneDnnHelpers.install(helped));
        assertEquals(0, OneDnnHelpers.install(helped), "installing twice changes nothing");
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 16, 16);
        assertClose(plain.outputSingle(x), helped.outputSingle(x), "graph output");
    }

    @ParameterizedTest
    @ValueSource(strings = {"strided-stem", "same-mode", "rectangular", "rectangular-strided", "shared-input"})
    void aGraphsFirstConvolutionComputesNoInputGradientAndTheSameWeightGradients(String kind) {
        // strided-stem: ResNet's 7x7 stride-2 stem (the correlation over phases); same-mode: 3x3 stride 1 (the
        // correlation in place); rectangular: 3x5 with padding 1 and 2 at stride 1, and at strides 2 and 3;
        // shared-input: the input also feeds a second convolution, whose gradient the graph adds up, so both keep
        // their input gradients
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().seed(6).updater(new Sgd(0.1))
                .graphBuilder().addInputs("in")
                .addLayer("stem", kind.equals("same-mode")
                        ? new ConvolutionLayer.Builder(3, 3).nOut(5).convolutionMode(ConvolutionMode.Same)
                                .cudnnAllowFallback(false).activation(Activation.RELU).build()
                        : kind.startsWith("rectangular")
                        ? new ConvolutionLayer.Builder(3, 5).padding(1, 2)
                                .stride(kind.equals("rectangular") ? 1 : 2, kind.equals("rectangular") ? 1 : 3).nOut(5)
                                .hasBias(false)   // into batch normalisation: a bias's true gradient is zero
                                .convolutionMode(ConvolutionMode.Truncate).cudnnAllowFallback(false)
                                .activation(Activation.IDENTITY).build()
                        : new ConvolutionLayer.Builder(7, 7).stride(2, 2).padding(3, 3).nOut(5).hasBias(false)
                                .cudnnAllowFallback(false).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().cudnnAllowFallback(false).build(), "stem")
                .addLayer("pool", new GlobalPoolingLayer(org.deeplearning4j.nn.conf.layers.PoolingType.AVG), "bn");
        String head = "pool";
        if (kind.equals("shared-input")) {
            g.addLayer("side", new ConvolutionLayer.Builder(3, 3).stride(2, 2).nOut(5).cudnnAllowFallback(false).activation(Activation.RELU).build(), "in")
                    .addLayer("sidePool", new GlobalPoolingLayer(org.deeplearning4j.nn.conf.layers.PoolingType.MAX), "side")
                    .addVertex("merge", new ElementWiseVertex(ElementWiseVertex.Op.Add), "pool", "sidePool");
            head = "merge";
        }
        ComputationGraphConfiguration conf = g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(5).nOut(3).activation(Activation.SOFTMAX).build(), head)
                .setOutputs("out").setInputTypes(InputType.convolutional(13, 13, 3)).build();
        ComputationGraph plain = new ComputationGraph(conf);
        plain.init();
        ComputationGraph helped = plain.clone();
        OneDnnHelpers.install(helped);
        boolean shared = kind.equals("shared-input");
        assertEquals(!shared, OneDnnHelpers.skipsInputGradient(helped.getLayer("stem")), "stem");
        if (shared) {
            assertFalse(OneDnnHelpers.skipsInputGradient(helped.getLayer("side")), "side");
        }
        Nd4j.getRandom().setSeed(12);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 13, 13).subi(0.5);
        INDArray y = Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(DataType.FLOAT);
        for (ComputationGraph net : List.of(plain, helped)) {
            net.setInputs(x);
            net.setLabels(y);
            net.computeGradientAndScore();
        }
        assertEquals(plain.score(), helped.score(), 1e-5, "loss");
        for (String key : plain.gradient().gradientForVariable().keySet()) {
            assertClose(plain.gradient().getGradientFor(key), helped.gradient().getGradientFor(key), "gradient " + key);
        }
        helped.fit(new INDArray[] {x}, new INDArray[] {y});   // a whole training step takes the null input gradient
        assertTrue(Double.isFinite(helped.score()));
    }

    @Test
    void aKernelLargerThanItsInputTakesLibnd4jsBackwardPassWithTheSameGradients() {
        // 6x6 -> (3x3, stride 2, padding 1) -> 3x3 -> (3x3, stride 2, padding 1) -> 2x2 -> (3x3, padding 1): the last
        // kernel is larger than its 2x2 input, as in ResNet-50's last stage at 64x64, and a 5x5 over 3x3 maps too
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).updater(new Sgd(0.1))
                .convolutionMode(ConvolutionMode.Truncate).graphBuilder().addInputs("in")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).stride(2, 2).padding(1, 1).nOut(5)
                        .cudnnAllowFallback(false).activation(Activation.RELU).build(), "in")
                .addLayer("c2", new ConvolutionLayer.Builder(5, 5).padding(2, 2).nOut(5).hasBias(false)
                        .cudnnAllowFallback(false).activation(Activation.IDENTITY).build(), "c1")
                .addLayer("c3", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(6)
                        .cudnnAllowFallback(false).activation(Activation.RELU).build(), "c2")
                .addLayer("c4", new ConvolutionLayer.Builder(3, 3).stride(2, 2).padding(1, 1).nOut(7)
                        .cudnnAllowFallback(false).activation(Activation.RELU).build(), "c3")
                .addLayer("c5", new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(4).hasBias(false)
                        .cudnnAllowFallback(false).activation(Activation.IDENTITY).build(), "c4")
                .addLayer("pool", new GlobalPoolingLayer(org.deeplearning4j.nn.conf.layers.PoolingType.AVG), "c5")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out").setInputTypes(InputType.convolutional(6, 6, 2)).build();
        ComputationGraph plain = new ComputationGraph(conf);
        plain.init();
        ComputationGraph helped = plain.clone();
        assertEquals(5, OneDnnHelpers.install(helped));
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 6, 6).subi(0.5);
        java.util.Map<String, INDArray> acts = helped.feedForward(new INDArray[] {x}, false, false);
        int[] one = {1, 1};
        assertFalse(OneDnnConvHelper.kernelExceedsInput(acts.get("in"), new int[] {3, 3}, one, CNN2DFormat.NCHW), "c1");
        assertTrue(OneDnnConvHelper.kernelExceedsInput(acts.get("c1"), new int[] {5, 5}, one, CNN2DFormat.NCHW), "c2");
        assertFalse(OneDnnConvHelper.kernelExceedsInput(acts.get("c2"), new int[] {3, 3}, one, CNN2DFormat.NCHW), "c3");
        assertTrue(OneDnnConvHelper.kernelExceedsInput(acts.get("c2"), new int[] {3, 3}, new int[] {2, 2}, CNN2DFormat.NCHW),
                "3x3 dilated 2 spans 5");
        assertFalse(OneDnnConvHelper.kernelExceedsInput(acts.get("c3"), new int[] {3, 3}, one, CNN2DFormat.NCHW), "c4");
        assertTrue(OneDnnConvHelper.kernelExceedsInput(acts.get("c4"), new int[] {3, 3}, one, CNN2DFormat.NCHW), "c5");
        INDArray y = Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(DataType.FLOAT);
        for (ComputationGraph g : List.of(plain, helped)) {
            g.setInputs(x);
            g.setLabels(y);
            g.computeGradientAndScore();
        }
        assertEquals(plain.score(), helped.score(), 1e-5, "loss");
        for (String key : plain.gradient().gradientForVariable().keySet()) {
            assertClose(plain.gradient().getGradientFor(key), helped.gradient().getGradientFor(key), "gradient " + key);
        }
    }

    private static final List<String> BIASES_INTO_BATCH_NORM = List.of("conv1_b", "conv2_b", "dense_b");

    /** Through the Java kernel ({@code org.sparkcnn.pipeline.kernel.BatchNormKernel}) and through libnd4j's ops. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void batchNormalisationInAResidualGraphGivesTheSameOutputsGradientsAndRunningStatistics(boolean javaKernels) {
        Boolean before = CpuKernels.set(javaKernels);
        try {
            batchNormalisationMatchesDl4jsOwnPath(javaKernels);
        } finally {
            CpuKernels.set(before);
        }
    }

    private static void batchNormalisationMatchesDl4jsOwnPath(boolean javaKernels) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).updater(new Sgd(0.1))
                .graphBuilder().addInputs("in")
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(6).convolutionMode(ConvolutionMode.Same)
                        .cudnnAllowFallback(false).activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn1", new BatchNormalization.Builder().cudnnAllowFallback(false).build(), "conv1")
                .addLayer("relu1", new ActivationLayer(Activation.RELU), "bn1")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(6).convolutionMode(ConvolutionMode.Same)
                        .cudnnAllowFallback(false).activation(Activation.IDENTITY).build(), "relu1")
                .addLayer("bn2", new BatchNormalization.Builder().useLogStd(false).cudnnAllowFallback(false).build(), "conv2")
                .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "bn2", "relu1")
                .addLayer("relu2", new ActivationLayer(Activation.RELU), "add")
                .addLayer("pool", new GlobalPoolingLayer(org.deeplearning4j.nn.conf.layers.PoolingType.AVG), "relu2")
                .addLayer("dense", new DenseLayer.Builder().nOut(8).activation(Activation.IDENTITY).build(), "pool")
                .addLayer("bn3", new BatchNormalization.Builder().cudnnAllowFallback(false).build(), "dense")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "bn3")
                .setOutputs("out").setInputTypes(InputType.convolutional(12, 12, 3)).build();
        ComputationGraph plain = new ComputationGraph(conf);
        plain.init();
        ComputationGraph helped = plain.clone();
        assertEquals(5, OneDnnHelpers.install(helped), "two convolutions and three batch normalisations");
        for (String bn : List.of("bn1", "bn2", "bn3")) {
            assertTrue(OneDnnHelpers.hasHelper(helped.getLayer(bn)), bn);
            assertFalse(OneDnnHelpers.hasHelper(plain.getLayer(bn)), bn + " of the reference");
        }
        for (String relu : List.of("relu1", "relu2")) {
            assertEquals(javaKernels, helped.getLayer(relu) instanceof ReluLayer, relu + " by name");
            assertTrue(java.util.Arrays.asList(helped.getLayers()).contains(helped.getLayer(relu)), relu + " in the graph's layers");
            assertFalse(plain.getLayer(relu) instanceof ReluLayer, relu + " of the reference");
        }

        Nd4j.getRandom().setSeed(21);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 3, 12, 12).muli(4).subi(1);
        INDArray y = Nd4j.eye(3).getRows(0, 1, 2, 0, 1).castTo(DataType.FLOAT);
        for (ComputationGraph g : List.of(plain, helped)) {
            g.setInputs(x);
            g.setLabels(y);
            g.computeGradientAndScore();
        }
        assertEquals(plain.score(), helped.score(), 1e-4 * Math.max(1, Math.abs(plain.score())), "loss");
        double largest = plain.gradient().gradient().amaxNumber().doubleValue();
        for (String key : plain.gradient().gradientForVariable().keySet()) {
            INDArray expected = plain.gradient().getGradientFor(key);
            INDArray actual = helped.gradient().getGradientFor(key);
            if (BIASES_INTO_BATCH_NORM.contains(key)) {
                // A bias that feeds a batch normalisation has a true gradient of zero (the normalisation takes the
                // batch mean out): both paths leave rounding noise only.
                assertTrue(expected.amaxNumber().doubleValue() < 1e-4 * largest
                        && actual.amaxNumber().doubleValue() < 1e-4 * largest, "gradient " + key + " is zero");
                continue;
            }
            assertClose(expected, actual, "gradient " + key);
        }
        // Three training steps through the helpers: at each, DL4J's own path on the same parameters (a clone, which
        // DL4J builds without helpers) gives the same loss and gradients, the running-statistics updates included.
        // (Comparing two networks trained apart would not do: parameters 1e-6 apart give gradients several percent
        // apart at a batch normalisation over a few examples.)
        for (int step = 0; step < 3; step++) {
            INDArray xs = Nd4j.randn(DataType.FLOAT, 5, 3, 12, 12).muli(1 + step);
            ComputationGraph reference = helped.clone();
            assertFalse(OneDnnHelpers.hasHelper(reference.getLayer("bn1")), "the clone runs DL4J's own path");
            for (ComputationGraph g : List.of(reference, helped)) {
                g.setInputs(xs);
                g.setLabels(y);
                g.computeGradientAndScore();
            }
            assertEquals(reference.score(), helped.score(), 1e-4 * Math.max(1, Math.abs(reference.score())), "step " + step + " loss");
            for (String key : reference.gradient().gradientForVariable().keySet()) {
                if (!BIASES_INTO_BATCH_NORM.contains(key)) {
                    assertClose(reference.gradient().getGradientFor(key), helped.gradient().getGradientFor(key),
                            "step " + step + ", gradient " + key);
                }
            }
            helped.fit(new INDArray[]{xs}, new INDArray[]{y});
        }
        ComputationGraph reference = helped.clone();
        assertClose(reference.outputSingle(x), helped.outputSingle(x), "inference output on the running statistics");
    }

    @Test
    void plainReluLayersRunOnePassEachWayWithDl4jsOutputsAndGradients() {
        MultiLayerNetwork plain = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(4).updater(new Sgd(0.1))
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(5).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).dropOut(0.8).build())
                .layer(new ActivationLayer(Activation.LEAKYRELU))
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(9, 9, 2)).build());
        plain.init();
        MultiLayerNetwork helped = plain.clone();
        OneDnnHelpers.install(helped);
        assertTrue(helped.getLayer(1) instanceof ReluLayer, "a plain ReLU");
        assertFalse(helped.getLayer(3) instanceof ReluLayer, "a ReLU with dropout keeps DL4J's layer");
        assertFalse(helped.getLayer(4) instanceof ReluLayer, "a leaky ReLU keeps DL4J's layer");
        assertTrue(helped.getLayer(6) instanceof ReluLayer, "a plain ReLU after a dense layer");
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.randn(DataType.FLOAT, 4, 2, 9, 9);
        INDArray y = Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(DataType.FLOAT);
        assertClose(plain.output(x, false), helped.output(x, false), "output");
        for (MultiLayerNetwork net : List.of(plain, helped)) {
            net.setInput(x);
            net.setLabels(y);
            Nd4j.getRandom().setSeed(8);   // the same dropout masks
            net.computeGradientAndScore();
        }
        assertEquals(plain.score(), helped.score(), 1e-5, "loss");
        for (String key : plain.gradient().gradientForVariable().keySet()) {
            assertClose(plain.gradient().getGradientFor(key), helped.gradient().getGradientFor(key), "gradient " + key);
        }
    }

    @Test
    void networksWrappedForThePipelineRunWithTheHelpers() {
        PipelineConfig c = ConfigLoader.load(null, List.of("model.architecture=lenet"));
        Network net = ModelFactory.create(c.model(), 32, 32, 3, 4, c.train(), 1);
        long helped = java.util.Arrays.stream(net.multiLayer().getLayers()).filter(OneDnnHelpers::hasHelper).count();
        assertEquals(4, helped, "LeNet's two convolutions and two poolings");
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, what + ": max difference " + diff + " (scale " + scale + ")");
    }
}
