package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Map;

/**
 * DL4J's oneDNN pooling helper, except for max pooling over large feature maps. The oneDNN build that ND4J
 * 1.0.0-M2.1 ships pools NCHW maps up to 112 pixels wide several times faster than libnd4j's own kernel, but from
 * 120 pixels on about ten times slower (measured on one thread, a minibatch of 16, 2x2 windows, stride 2; forward and
 * backward in ms, oneDNN against libnd4j's kernel):
 * <pre>
 *   32 x 104 x 104:   2.8 /   6.8   against    6.5 / 27.2
 *   32 x 112 x 112:   4.0 /   8.4   against    7.4 / 30.7
 *   32 x 120 x 120:  68.7 / 103.1   against    7.6 / 35.3
 *   32 x 198 x 198: 190.6 / 280.7   against   26.0 / 99.0   (the food101 net's first pooling at 200x200)
 * </pre>
 * so above {@link #ONE_DNN_MAX_SIDE} this runs the same libnd4j op with the platform (oneDNN) implementation turned
 * off for that one call ({@link OpContext#allowHelpers}), which leaves every other op, and other threads, on oneDNN.
 * The food101 net at 200x200 trains 1.5x faster for it. Average pooling, and smaller maps, go to DL4J's helper.
 * {@code OneDnnHelpersTest} holds outputs and gradients equal to DL4J's own path on both sides of the threshold.
 */
final class OneDnnPoolingHelper implements SubsamplingHelper {
    /** The widest (and tallest) map oneDNN max-pools here; above it libnd4j's own kernel does. */
    static final long ONE_DNN_MAX_SIDE = 112;
    private final MKLDNNSubsamplingHelper oneDnn;

    OneDnnPoolingHelper(DataType dataType) {
        this.oneDnn = new MKLDNNSubsamplingHelper(dataType);
    }

    /** Whether libnd4j's own kernel, not oneDNN, pools {@code input} ({@code [n, c, h, w]}) with {@code type}. */
    static boolean plainKernel(INDArray input, PoolingType type) {
        return type == PoolingType.MAX && input.rank() == 4
                && (input.size(2) > ONE_DNN_MAX_SIDE || input.size(3) > ONE_DNN_MAX_SIDE);
    }

    @Override
    public INDArray activate(INDArray input, boolean training, int[] kernel, int[] strides, int[] pad,
                             PoolingType poolingType, ConvolutionMode convolutionMode, int[] dilation,
                             CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!plainKernel(input, poolingType)) {
            return oneDnn.activate(input, training, kernel, strides, pad, poolingType, convolutionMode, dilation,
                    format, workspaceMgr);
        }
        return plainForward(input, kernel, strides, pad, dilation, convolutionMode == ConvolutionMode.Same,
                workspaceMgr);
    }

    /** Max pooling of {@code input} by libnd4j's own kernel (oneDNN off for this op alone). */
    static INDArray plainForward(INDArray input, int[] kernel, int[] strides, int[] pad, int[] dilation, boolean same,
                                 LayerWorkspaceMgr workspaceMgr) {
        int[] args = arguments(kernel, strides, pad, dilation, same ? ConvolutionMode.Same : ConvolutionMode.Truncate);
        DynamicCustomOp shapeOnly = DynamicCustomOp.builder("maxpool2d").addInputs(input).addIntegerArguments(args).build();
        long[] shape = shapeOnly.calculateOutputShape().get(0).getShape();
        INDArray output = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), shape, 'c');
        execWithoutOneDnn("maxpool2d", args, output, input);
        return output;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, int[] kernel, int[] strides,
                                                     int[] pad, PoolingType poolingType,
                                                     ConvolutionMode convolutionMode, int[] dilation,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (!plainKernel(input, poolingType)) {
            return oneDnn.backpropGradient(input, epsilon, kernel, strides, pad, poolingType, convolutionMode,
                    dilation, format, workspaceMgr);
        }
        INDArray inputGradient = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(),
                input.shape(), 'c');
        execWithoutOneDnn("maxpool2d_bp", arguments(kernel, strides, pad, dilation, convolutionMode), inputGradient,
                input, epsilon);
        return new Pair<>(new DefaultGradient(), inputGradient);
    }

    /** libnd4j's pooling arguments: window, stride, padding, dilation, same mode, 0, NCHW. */
    private static int[] arguments(int[] kernel, int[] strides, int[] pad, int[] dilation, ConvolutionMode mode) {
        return new int[]{kernel[0], kernel[1], strides[0], strides[1], pad[0], pad[1], dilation[0], dilation[1],
                mode == ConvolutionMode.Same ? 1 : 0, 0, 0};
    }

    private static void execWithoutOneDnn(String op, int[] args, INDArray output, INDArray... inputs) {
        try (OpContext context = Nd4j.getExecutioner().buildContext()) {
            context.allowHelpers(false);
            context.setInputArrays(inputs);
            context.setOutputArrays(output);
            context.setIArguments(Arrays.stream(args).asLongStream().toArray());
            Nd4j.getExecutioner().exec(DynamicCustomOp.builder(op).build(), context);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(op + " failed", e);
        }
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return oneDnn.helperMemoryUse();
    }

    @Override
    public boolean checkSupported() {
        return oneDnn.checkSupported();
    }
}
