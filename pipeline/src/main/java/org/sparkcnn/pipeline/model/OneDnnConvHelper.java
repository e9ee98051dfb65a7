package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.AlgoMode;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdDataAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.BwdFilterAlgo;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer.FwdAlgo;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * DL4J's oneDNN convolution helper with two savings DL4J's own misses; {@code OneDnnHelpers} installs one per
 * convolution layer.
 *
 * <p><b>The forward output serves the backward pass.</b> DL4J's convolution layer runs the convolution a second
 * time in its backward pass to get the pre-activation {@code z} (unless {@code CacheMode} is set, and then it
 * copies {@code z} each step, which costs as much). For ReLU and identity the activation's derivative is the same
 * function of {@code act(z)} as of {@code z}, and DL4J applies both in place on {@code z}; so after a training
 * forward pass this hands the layer its own output as the cached pre-activation, which DL4J's backward pass then
 * uses instead of recomputing. Any other activation, and any forward pass not in training, leaves no cache.
 *
 * <p><b>No input gradient for the first layer.</b> Nothing reads the input gradient of a network's first layer,
 * and oneDNN's {@code conv2d_bp} always computes it: for an image input (3 channels) the costliest part, 16 ms of
 * the 23 ms backward pass for 32 3x3 filters on 64x64 RGB, batch 32, one thread. The weight gradient of a stride-1
 * convolution is a correlation of the input with the output gradient, itself a convolution: with the batch as
 * the channel axis, input {@code x[c, n, h, w]} and kernel {@code dy[o, n, oh, ow]} (both strided views, no
 * copies) give {@code dW[c, o, kh, kw]}, one oneDNN forward convolution (7 ms there). A strided convolution is one
 * such correlation over the input's phases (ResNet's 7x7 stride-2 stem at 64x64, batch 16, one thread: 9 ms where
 * {@code conv2d_bp} takes 22; at 224x224 166 ms against 317). The bias gradient is the output gradient summed over
 * batch and positions, and the layer returns no input gradient (as DL4J's embedding layers do). For NCHW float
 * with dilation 1; otherwise the full backward pass runs.
 *
 * <p><b>libnd4j's backward pass where oneDNN's is slow.</b> A kernel larger than its input (see
 * {@link #kernelExceedsInput}) runs libnd4j's own {@code conv2d_bp}.
 *
 * <p>{@code OneDnnHelpersTest} checks outputs and every gradient equal DL4J's own layers.
 */
final class OneDnnConvHelper extends MKLDNNConvHelper {
    private final AbstractLayer<?> layer;
    private final boolean firstLayer;

    OneDnnConvHelper(DataType dataType, AbstractLayer<?> layer, boolean firstLayer) {
        super(dataType);
        this.layer = layer;
        this.firstLayer = firstLayer;
    }

    boolean firstLayer() {
        return firstLayer;
    }

    /** A forward pass first drops the previous pass's cached output, so a backward pass can never see a stale one. */
    @Override
    public INDArray preOutput(INDArray input, INDArray weights, INDArray bias, int[] kernel, int[] strides, int[] pad,
                              AlgoMode mode, FwdAlgo fwdAlgo, ConvolutionMode convolutionMode, int[] dilation,
                              CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        layer.setPreOutput(null);
        return super.preOutput(input, weights, bias, kernel, strides, pad, mode, fwdAlgo, convolutionMode, dilation,
                format, workspaceMgr);
    }

    @Override
    public INDArray activate(INDArray z, IActivation afn, boolean training) {
        INDArray out = afn.getActivation(z, training);
        // applied in place (out == z), z now holds act(z), whose derivative equals act'(z) for ReLU and identity only
        if (training && (out != z || derivativeFromOutput(afn))) {
            layer.setPreOutput(z);
        }
        return out;
    }

    /** Whether the activation's derivative at z equals its derivative at act(z). */
    static boolean derivativeFromOutput(IActivation afn) {
        if (afn instanceof ActivationIdentity) {
            return true;
        }
        return afn instanceof ActivationReLU relu && relu.getMax() == null && isZero(relu.getThreshold())
                && isZero(relu.getNegativeSlope());
    }

    private static boolean isZero(Double d) {
        return d == null || d == 0.0;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray weights, INDArray bias, INDArray delta,
                                                     int[] kernel, int[] strides, int[] pad, INDArray biasGradView,
                                                     INDArray weightGradView, IActivation afn, AlgoMode mode,
                                                     BwdFilterAlgo bwdFilterAlgo, BwdDataAlgo bwdDataAlgo,
                                                     ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format,
                                                     LayerWorkspaceMgr workspaceMgr) {
        boolean floats = input.dataType() == DataType.FLOAT && delta.dataType() == DataType.FLOAT
                && weightGradView.dataType() == DataType.FLOAT;
        if (firstLayer && floats && format != CNN2DFormat.NHWC && input.rank() == 4 && dilation[0] == 1
                && dilation[1] == 1) {
            correlationWeightGradient(input, delta, kernel, strides, pad, convolutionMode, weightGradView, workspaceMgr);
            Gradient gradient = new DefaultGradient();
            if (bias != null && biasGradView != null) {
                // sum over positions (contiguous, fast), then over the batch
                INDArray perExample = delta.reshape(delta.size(0), delta.size(1), delta.size(2) * delta.size(3)).sum(2);
                biasGradView.assign(perExample.sum(0));
                gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
            }
            gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
            return new Pair<>(gradient, null);
        }
        if (kernelExceedsInput(input, kernel, dilation, format)) {
            return libnd4jBackprop(input, weights, bias, delta, kernel, strides, pad, biasGradView, weightGradView,
                    convolutionMode, dilation, format, workspaceMgr);
        }
        return super.backpropGradient(input, weights, bias, delta, kernel, strides, pad, biasGradView, weightGradView,
                afn, mode, bwdFilterAlgo, bwdDataAlgo, convolutionMode, dilation, format, workspaceMgr);
    }

    /**
     * The weight gradient as one oneDNN forward convolution (see the class comment). At stride s the input is split
     * into its s x s phases, {@code xp[c, r, q][n, u, v] = x[n, c, s*u + r, s*v + q]} (after padding), each of which
     * meets the output gradient at stride 1 through the kernel taps {@code (s*a + r, s*b + q)}: one correlation of
     * the phases (batch as channels) with the output gradient gives every tap.
     */
    private static void correlationWeightGradient(INDArray input, INDArray delta, int[] kernel, int[] strides,
                                                  int[] pad, ConvolutionMode convolutionMode, INDArray weightGradView,
                                                  LayerWorkspaceMgr workspaceMgr) {
        long n = input.size(0);
        long c = input.size(1);
        long outC = delta.size(1);
        int outH = (int) delta.size(2);
        int outW = (int) delta.size(3);
        int sh = strides[0];
        int sw = strides[1];
        int[] topLeft = convolutionMode == ConvolutionMode.Same
                ? ConvolutionUtils.getSameModeTopLeftPadding(new int[] {outH, outW},
                        new int[] {(int) input.size(2), (int) input.size(3)}, kernel, strides, new int[] {1, 1})
                : pad;
        if (sh == 1 && sw == 1 && input.size(2) + 2L * topLeft[0] - outH + 1 == kernel[0]
                && input.size(3) + 2L * topLeft[1] - outW + 1 == kernel[1]) {
            // stride 1 with symmetric padding: the correlation reads the input in place (strided views, no copy)
            INDArray correlation = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                    c, outC, kernel[0], kernel[1]);
            Nd4j.exec(DynamicCustomOp.builder("conv2d")
                    .addInputs(input.permute(1, 0, 2, 3), delta.permute(1, 0, 2, 3))
                    .addOutputs(correlation)
                    .addIntegerArguments(outH, outW, 1, 1, topLeft[0], topLeft[1], 1, 1, 0, 0, 1)
                    .build());
            weightGradView.assign(correlation.permute(1, 0, 2, 3));
            return;
        }
        int phaseKh = (kernel[0] + sh - 1) / sh;           // taps per phase
        int phaseKw = (kernel[1] + sw - 1) / sw;
        int phaseH = outH + phaseKh - 1;                   // rows per phase: all any output reads
        int phaseW = outW + phaseKw - 1;
        // the padded input, as tall and wide as the phases need (rows past the last one read are left out)
        INDArray padded = workspaceMgr.create(ArrayType.BP_WORKING_MEM, DataType.FLOAT, n, c, (long) sh * phaseH,
                (long) sw * phaseW);
        long rows = Math.min(input.size(2), (long) sh * phaseH - topLeft[0]);
        long cols = Math.min(input.size(3), (long) sw * phaseW - topLeft[1]);
        padded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(topLeft[0], topLeft[0] + rows),
                        NDArrayIndex.interval(topLeft[1], topLeft[1] + cols))
                .assign(input.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, rows),
                        NDArrayIndex.interval(0, cols)));
        INDArray phases = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                c, sh, sw, n, phaseH, phaseW);
        for (int r = 0; r < sh; r++) {
            for (int q = 0; q < sw; q++) {
                phases.get(NDArrayIndex.all(), NDArrayIndex.point(r), NDArrayIndex.point(q), NDArrayIndex.all(),
                                NDArrayIndex.all(), NDArrayIndex.all())
                        .assign(padded.get(NDArrayIndex.all(), NDArrayIndex.all(),
                                NDArrayIndex.interval(r, sh, (long) sh * phaseH),
                                NDArrayIndex.interval(q, sw, (long) sw * phaseW)).permute(1, 0, 2, 3));
            }
        }
        INDArray correlation = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                c * sh * sw, outC, phaseKh, phaseKw);
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(phases.reshape('c', c * sh * sw, n, phaseH, phaseW), delta.permute(1, 0, 2, 3))
                .addOutputs(correlation)
                // kernel = the output gradient's size, stride 1, no padding, dilation 1, explicit padding, NCHW,
                // weights as [out, in, kh, kw]
                .addIntegerArguments(outH, outW, 1, 1, 0, 0, 1, 1, 0, 0, 1)
                .build());
        // correlation[(c, r, q), o, a, b] is the gradient of tap (s*a + r, s*b + q); taps past the kernel are dropped
        INDArray taps = correlation.reshape('c', c, sh, sw, outC, phaseKh, phaseKw).permute(3, 0, 4, 1, 5, 2);
        INDArray grid = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                outC, c, phaseKh, sh, phaseKw, sw);
        grid.assign(taps);
        weightGradView.assign(grid.reshape('c', outC, c, (long) phaseKh * sh, (long) phaseKw * sw).get(NDArrayIndex.all(),
                NDArrayIndex.all(), NDArrayIndex.interval(0, kernel[0]), NDArrayIndex.interval(0, kernel[1])));
    }

    /**
     * Whether the (dilated) kernel is taller or wider than the input, where oneDNN's backward pass is slow: for a 3x3
     * convolution over 2x2 maps (ResNet-50's last stage at 64x64 input: 512 channels, batch 16, one thread) 96 ms a
     * call, where libnd4j's own im2col and gemm take 19 ms and the forward pass 7 ms. (At 4x4 oneDNN is the faster,
     * 6 ms to 27.)
     */
    static boolean kernelExceedsInput(INDArray input, int[] kernel, int[] dilation, CNN2DFormat format) {
        if (input.rank() != 4) {
            return false;
        }
        long h = input.size(format == CNN2DFormat.NHWC ? 1 : 2);
        long w = input.size(format == CNN2DFormat.NHWC ? 2 : 3);
        return (kernel[0] - 1L) * dilation[0] + 1 > h || (kernel[1] - 1L) * dilation[1] + 1 > w;
    }

    /** libnd4j's {@code conv2d_bp} with platform helpers (oneDNN) turned off for the call: im2col, gemm, col2im. */
    private Pair<Gradient, INDArray> libnd4jBackprop(INDArray input, INDArray weights, INDArray bias, INDArray delta,
                                                     int[] kernel, int[] strides, int[] pad, INDArray biasGradView,
                                                     INDArray weightGradView, ConvolutionMode convolutionMode,
                                                     int[] dilation, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        int[] padding = pad;
        if (convolutionMode == ConvolutionMode.Same) {
            int h = format == CNN2DFormat.NHWC ? 1 : 2;
            padding = ConvolutionUtils.getSameModeTopLeftPadding(new int[] {(int) delta.size(h), (int) delta.size(h + 1)},
                    new int[] {(int) input.size(h), (int) input.size(h + 1)}, kernel, strides, dilation);
        }
        INDArray gradAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape());
        boolean withBias = biasGradView != null;
        try (OpContext context = Nd4j.getExecutioner().buildContext()) {
            context.setIArguments(kernel[0], kernel[1], strides[0], strides[1], padding[0], padding[1], dilation[0],
                    dilation[1], convolutionMode == ConvolutionMode.Same ? 1 : 0, format == CNN2DFormat.NHWC ? 1 : 0,
                    1 /* weights as [out, in, kh, kw] */);
            context.setInputArrays(withBias ? new INDArray[] {input, weights, bias, delta}
                    : new INDArray[] {input, weights, delta});
            context.setOutputArrays(withBias ? new INDArray[] {gradAtInput, weightGradView, biasGradView}
                    : new INDArray[] {gradAtInput, weightGradView});
            context.allowHelpers(false);
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").build(), context);
        } catch (Exception e) {
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        Gradient gradient = new DefaultGradient();
        if (withBias) {
            gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        return new Pair<>(gradient, gradAtInput);
    }
}
