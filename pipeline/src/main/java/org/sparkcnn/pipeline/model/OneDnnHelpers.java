package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.lang.reflect.Field;

/**
 * Puts DL4J's oneDNN helpers into the convolution and pooling layers of a network, where DL4J 1.0.0-M2.1 itself
 * never does: its {@code BaseMKLDNNHelper.mklDnnEnabled()} looks up {@code org.nd4j.nativeblas.Nd4jCpu$Environment},
 * a class that moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings} in that release, so the check always fails
 * and every convolution runs as im2col plus gemm in separate native calls. With the oneDNN build of the natives
 * (see {@code spark.NativeBackend}) the helpers run the layer as one oneDNN primitive: LeNet at 32x32 trains
 * about 7x faster on 2 cores (bench/train.sh). Installed only when the loaded natives have oneDNN
 * ({@code HAVE_ONEDNN} in their build info) and DL4J's helpers are allowed; only into plain 2D convolution and
 * max/average pooling layers in NCHW (not their subclasses: deconvolution, depthwise, separable, 1D), and batch
 * normalisation in NCHW with trainable gamma and beta ({@link OneDnnBatchNormHelper}: the forward and backward
 * passes as libnd4j's {@code batchnorm} and {@code batchnorm_bp} ops, as DL4J's {@code MKLDNNBatchNormHelper}, where
 * DL4J's own path runs about fifteen element-wise ops over the activations), so every other layer keeps DL4J's own
 * path. Convolutions get {@link OneDnnConvHelper}, which also spares the backward
 * pass a second forward convolution and, in a network's first layer, the unused input gradient (together
 * 1.3x faster training steps for LeNet at 32x32 and food101 at 64x64, one thread). Plain ReLU layers become
 * {@link ReluLayer} (one pass each way) where the Java kernels are on ({@link CpuKernels}). {@code OneDnnHelpersTest}
 * checks outputs and gradients equal the plain path.
 */
public final class OneDnnHelpers {
    private static volatile Boolean available;

    private OneDnnHelpers() {}

    /** Whether the loaded ND4J natives are a CPU build with oneDNN and helpers are allowed. */
    public static boolean available() {
        Boolean a = available;
        if (a == null) {
            a = computeAvailable();
            available = a;
        }
        return a;
    }

    private static boolean computeAvailable() {
        try {
            String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
            return "CPU".equalsIgnoreCase(backend) && Nd4j.getEnvironment().helpersAllowed()
                    && NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Installs the helpers into every eligible layer of a MultiLayerNetwork or ComputationGraph; returns how many. */
    public static int install(Model model) {
        if (!available()) {
            return 0;
        }
        Layer[] layers = model instanceof MultiLayerNetwork mln ? mln.getLayers()
                : model instanceof ComputationGraph cg ? cg.getLayers() : new Layer[0];
        int installed = 0;
        for (int i = 0; i < layers.length; i++) {
            boolean first = model instanceof MultiLayerNetwork mln ? i == 0 && inputGradientUnused(mln)
                    : model instanceof ComputationGraph cg && inputGradientUnused(cg, layers[i]);
            installed += installInto(unwrap(layers[i]), first) ? 1 : 0;
        }
        if (model instanceof MultiLayerNetwork mln) {
            SizedPoolingLayer.replaceIn(mln);   // its forward pass asks the pooling helper too
        }
        if (CpuKernels.enabled()) {
            ReluLayer.replaceIn(model);
        }
        return installed;
    }

    /**
     * Whether nothing reads the input gradient of a MultiLayerNetwork's first layer: it feeds no input preprocessor
     * and drops out no inputs, whose backward passes would take that gradient.
     */
    private static boolean inputGradientUnused(MultiLayerNetwork net) {
        return net.getLayerWiseConfigurations().getInputPreProcess(0) == null
                && net.getLayerWiseConfigurations().getConf(0).getLayer().getIDropout() == null;
    }

    /**
     * Whether nothing reads the input gradient of a ComputationGraph layer: it reads a network input that feeds no
     * other vertex, through no input preprocessor and no dropout. The graph stores a null gradient for that input
     * (as for DL4J's embedding layers), which nothing reads.
     */
    private static boolean inputGradientUnused(ComputationGraph graph, Layer layer) {
        GraphVertex vertex = graph.getVertex(layer.conf().getLayer().getLayerName());
        if (!(vertex instanceof LayerVertex lv) || lv.getLayerPreProcessor() != null
                || layer.conf().getLayer().getIDropout() != null || vertex.getInputVertices() == null
                || vertex.getInputVertices().length != 1) {
            return false;
        }
        GraphVertex source = graph.getVertices()[vertex.getInputVertices()[0].getVertexIndex()];
        return source.isInputVertex() && source.getOutputVertices() != null && source.getOutputVertices().length == 1;
    }

    /** Whether a layer's helper skips the input gradient (tests). */
    static boolean skipsInputGradient(Layer layer) {
        try {
            Layer l = unwrap(layer);
            return l.getClass() == ConvolutionLayer.class && CONV_HELPER.get(l) instanceof OneDnnConvHelper h
                    && h.firstLayer();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a layer runs through a oneDNN helper (for tests and the training log). */
    public static boolean hasHelper(Layer layer) {
        Layer l = unwrap(layer);
        try {
            if (l.getClass() == ConvolutionLayer.class) {
                return CONV_HELPER.get(l) != null;
            }
            if (l.getClass() == SubsamplingLayer.class || l.getClass() == SizedPoolingLayer.class) {
                return POOL_HELPER.get(l) != null;
            }
            if (l.getClass() == BatchNormalization.class) {
                return BN_HELPER.get(l) != null;
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return false;
    }

    private static Layer unwrap(Layer layer) {
        Layer l = layer;
        while (true) {
            if (l instanceof FrozenLayer f) {
                l = f.getInsideLayer();
            } else if (l instanceof FrozenLayerWithBackprop f) {
                l = f.getInsideLayer();
            } else {
                return l;
            }
        }
    }

    private static boolean installInto(Layer l, boolean firstLayer) {
        try {
            if (l.getClass() == ConvolutionLayer.class) {
                var conf = (org.deeplearning4j.nn.conf.layers.ConvolutionLayer) l.conf().getLayer();
                if (!supported(conf.getConvolutionMode(), conf.getCnn2dDataFormat()) || CONV_HELPER.get(l) != null) {
                    return false;
                }
                CONV_HELPER.set(l, new OneDnnConvHelper(l.getParam("W").dataType(), (ConvolutionLayer) l, firstLayer));
                return true;
            }
            if (l.getClass() == BatchNormalization.class) {
                var conf = (org.deeplearning4j.nn.conf.layers.BatchNormalization) l.conf().getLayer();
                // a locked gamma and beta has no parameters for the op's gradient outputs: DL4J's own path
                if (conf.isLockGammaBeta() || conf.getCnn2DFormat() != CNN2DFormat.NCHW || BN_HELPER.get(l) != null) {
                    return false;
                }
                BN_HELPER.set(l, new OneDnnBatchNormHelper());
                return true;
            }
            if (l.getClass() == SubsamplingLayer.class) {
                var conf = (org.deeplearning4j.nn.conf.layers.SubsamplingLayer) l.conf().getLayer();
                boolean maxOrAvg = conf.getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.MAX
                        || conf.getPoolingType() == org.deeplearning4j.nn.conf.layers.PoolingType.AVG;
                if (!maxOrAvg || !supported(conf.getConvolutionMode(), conf.getCnn2dDataFormat())
                        || POOL_HELPER.get(l) != null) {
                    return false;
                }
                POOL_HELPER.set(l, new OneDnnPoolingHelper(Nd4j.dataType()));
                return true;
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot install oneDNN helper into " + l, e);
        }
        return false;
    }

    private static boolean supported(ConvolutionMode mode, CNN2DFormat format) {
        return (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict || mode == ConvolutionMode.Same)
                && (format == null || format == CNN2DFormat.NCHW);
    }

    private static final Field CONV_HELPER = field(ConvolutionLayer.class);
    private static final Field POOL_HELPER = field(SubsamplingLayer.class);
    private static final Field BN_HELPER = field(BatchNormalization.class);

    private static Field field(Class<?> layer) {
        try {
            Field f = layer.getDeclaredField("helper");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DL4J " + layer.getName() + " has no 'helper' field; check the DL4J version", e);
        }
    }
}
