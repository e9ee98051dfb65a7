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
 * copies) give {@code dW[c, o, kh, kw]}, one oneDNN forward convolution (7 ms there). The bias gradient is the
 * output gradient summed over batch and positions, and the layer returns no input gradient (as DL4J's embedding
 * layers do). Used only where the identity holds as written: NCHW float, stride 1, dilation 1 and symmetric
 * padding (odd kernels in {@code Same} mode); otherwise the full {@code conv2d_bp} runs.
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
        int[] padding = firstLayer ? symmetricPadding(input, delta, kernel, strides, pad, convolutionMode, dilation, format)
                : null;
        if (padding == null && kernelExceedsInput(input, kernel, dilation, format)) {
            return libnd4jBackprop(input, weights, bias, delta, kernel, strides, pad, biasGradView, weightGradView,
                    convolutionMode, dilation, format, workspaceMgr);
        }
        if (padding == null || input.dataType() != DataType.FLOAT || delta.dataType() != DataType.FLOAT
                || weightGradView.dataType() != DataType.FLOAT) {
            return super.backpropGradient(input, weights, bias, delta, kernel, strides, pad, biasGradView, weightGradView,
                    afn, mode, bwdFilterAlgo, bwdDataAlgo, convolutionMode, dilation, format, workspaceMgr);
        }
        long outH = delta.size(2);
        long outW = delta.size(3);
        INDArray correlation = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT,
                input.size(1), delta.size(1), kernel[0], kernel[1]);
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(input.permute(1, 0, 2, 3), delta.permute(1, 0, 2, 3))
                .addOutputs(correlation)
                // kernel = output gradient's spatial size, stride 1, the layer's padding, dilation 1, explicit
                // padding, NCHW, weights as [out, in, kh, kw]
                .addIntegerArguments((int) outH, (int) outW, 1, 1, padding[0], padding[1], 1, 1, 0, 0, 1)
                .build());
        weightGradView.assign(correlation.permute(1, 0, 2, 3));
        Gradient gradient = new DefaultGradient();
        if (bias != null && biasGradView != null) {
            // sum over positions (contiguous, fast), then over the batch
            INDArray perExample = delta.reshape(delta.size(0), delta.size(1), outH * outW).sum(2);
            biasGradView.assign(perExample.sum(0));
            gradient.gradientForVariable().put(ConvolutionParamInitializer.BIAS_KEY, biasGradView);
        }
        gradient.gradientForVariable().put(ConvolutionParamInitializer.WEIGHT_KEY, weightGradView);
        return new Pair<>(gradient, null);
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

    /** The layer's padding where the correlation identity holds as written, else null. */
    static int[] symmetricPadding(INDArray input, INDArray delta, int[] kernel, int[] strides, int[] pad,
                                  ConvolutionMode convolutionMode, int[] dilation, CNN2DFormat format) {
        if (format == CNN2DFormat.NHWC || input.rank() != 4 || delta.rank() != 4
                || strides[0] != 1 || strides[1] != 1 || dilation[0] != 1 || dilation[1] != 1) {
            return null;
        }
        int inH = (int) input.size(2);
        int inW = (int) input.size(3);
        int[] padding;
        if (convolutionMode == ConvolutionMode.Same) {
            if (kernel[0] % 2 == 0 || kernel[1] % 2 == 0) {
                return null; // Same mode pads an even kernel asymmetrically
            }
            padding = ConvolutionUtils.getSameModeTopLeftPadding(new int[] {(int) delta.size(2), (int) delta.size(3)},
                    new int[] {inH, inW}, kernel, strides, dilation);
        } else {
            padding = pad;
        }
        boolean exact = delta.size(2) == inH + 2L * padding[0] - kernel[0] + 1
                && delta.size(3) == inW + 2L * padding[1] - kernel[1] + 1;
        return exact ? padding : null;
    }
}
