package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.normalization.BatchNormalizationHelper;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.kernel.BatchNormKernel;

import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.Map;

/**
 * Batch normalisation for DL4J's layer in NCHW or rank 2, with trainable gamma and beta. On a CPU backend with the
 * Java kernels on ({@link CpuKernels}), {@link BatchNormKernel} computes the batch statistics, the output and the
 * backward pass, two passes over the activations each way: libnd4j's {@code batchnorm_bp} makes about a dozen, and
 * ResNet-50 at 64x64 spent 125 ms of a training step of 16 (one thread) in it, against about 35 in the kernel.
 * Otherwise libnd4j's {@code batchnorm} and {@code batchnorm_bp} ops (oneDNN in the forward pass), as DL4J's
 * {@code MKLDNNBatchNormHelper} runs them, with the batch's statistics from one {@code moments} op (DL4J's helper
 * runs a separate {@code Variance} op, slow over the batch and spatial axes of NCHW: at 16x256x16x16, one thread,
 * 0.9 + 6.2 ms against 2.0 ms for {@code moments}). Both are the biased (population) variance, as DL4J uses in
 * training. {@code OneDnnHelpersTest} checks outputs, running statistics and gradients of both paths against DL4J's
 * own. Only for float arrays: what {@code OneDnnHelpers} installs it into.
 */
final class OneDnnBatchNormHelper implements BatchNormalizationHelper {
    private INDArray meanCache;
    private INDArray varCache;

    @Override
    public boolean checkSupported(double eps, boolean fixedGammaBeta) {
        return !fixedGammaBeta;
    }

    @Override
    public boolean checkSupported() {
        return true;
    }

    @Override
    public Map<String, Long> helperMemoryUse() {
        return Collections.emptyMap();
    }

    @Override
    public INDArray getMeanCache(DataType dataType) {
        return meanCache;
    }

    @Override
    public INDArray getVarCache(DataType dataType) {
        return varCache;
    }

    @Override
    public INDArray preOutput(INDArray x, boolean training, long[] shape, INDArray gamma, INDArray beta, INDArray mean,
                              INDArray var, double decay, double eps, CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (x.dataType() != DataType.FLOAT || (x.rank() == 4 && format == CNN2DFormat.NHWC) || gamma == null || beta == null) {
            return null;   // DL4J's own path
        }
        INDArray m;
        INDArray v;
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
        if (training) {
            long channels = x.size(1);
            if (meanCache == null || meanCache.length() != channels) {
                try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    meanCache = Nd4j.createUninitialized(DataType.FLOAT, channels);
                    varCache = Nd4j.createUninitialized(DataType.FLOAT, channels);
                }
            }
        }
        BatchNormKernel.Shape kernelShape = kernelShape(x);
        FloatBuffer xs = kernelShape == null ? null : NativeFloats.of(x);
        FloatBuffer outs = xs == null ? null : NativeFloats.of(out);
        if (outs != null) {
            FloatBuffer mb = NativeFloats.of(training ? meanCache : mean);
            FloatBuffer vb = NativeFloats.of(training ? varCache : var);
            FloatBuffer gb = NativeFloats.of(gamma);
            FloatBuffer bb = NativeFloats.of(beta);
            if (mb != null && vb != null && gb != null && bb != null) {
                if (training) {
                    BatchNormKernel.moments(xs, kernelShape, mb, vb);
                }
                BatchNormKernel.normalize(xs, kernelShape, mb, vb, gb, bb, eps, outs);
                return out;
            }
        }
        if (training) {
            DynamicCustomOp.DynamicCustomOpsBuilder moments = DynamicCustomOp.builder("moments").addInputs(x)
                    .addOutputs(meanCache, varCache);
            moments = x.rank() == 2 ? moments.addIntegerArguments(0) : moments.addIntegerArguments(0, 2, 3);
            Nd4j.exec(moments.build());
            m = meanCache;
            v = varCache;
        } else {
            m = mean.reshape(mean.length());
            v = var.reshape(var.length());
        }
        Nd4j.exec(DynamicCustomOp.builder("batchnorm")
                .addInputs(x, m, v, vector(gamma), vector(beta))
                .addOutputs(out)
                .addIntegerArguments(1, 1, 1)   // apply gamma, apply beta, channel axis 1
                .addFloatingPointArguments(eps)
                .build());
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray input, INDArray epsilon, long[] shape, INDArray gamma,
                                                     INDArray beta, INDArray dGammaView, INDArray dBetaView, double eps,
                                                     CNN2DFormat format, LayerWorkspaceMgr workspaceMgr) {
        if (input.dataType() != DataType.FLOAT || (input.rank() == 4 && format == CNN2DFormat.NHWC) || gamma == null
                || beta == null || dGammaView == null || dBetaView == null || meanCache == null) {
            return null;
        }
        INDArray eps2 = Shape.hasDefaultStridesForShape(epsilon) ? epsilon : epsilon.dup('c');   // DL4J issue 8860
        INDArray epsAtInput = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape());
        if (backpropJava(input, eps2, gamma, dGammaView, dBetaView, eps, epsAtInput)) {
            return new Pair<>(gradient(dGammaView, dBetaView), epsAtInput);
        }
        INDArray dLdm = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, meanCache.shape());
        INDArray dLdv = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, meanCache.shape());
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(input, meanCache, varCache, vector(gamma), vector(beta), eps2)
                .addOutputs(epsAtInput, dLdm, dLdv, dGammaView.reshape(dGammaView.length()),
                        dBetaView.reshape(dBetaView.length()))
                .addIntegerArguments(1, 1, 1)
                .addFloatingPointArguments(eps)
                .build());
        return new Pair<>(gradient(dGammaView, dBetaView), epsAtInput);
    }

    /** The backward pass through {@link BatchNormKernel}; false (nothing written) where the arrays do not suit it. */
    private boolean backpropJava(INDArray input, INDArray epsilon, INDArray gamma, INDArray dGammaView,
                                 INDArray dBetaView, double eps, INDArray epsAtInput) {
        BatchNormKernel.Shape kernelShape = kernelShape(input);
        FloatBuffer x = kernelShape == null ? null : NativeFloats.of(input);
        FloatBuffer dy = x == null ? null : NativeFloats.of(epsilon);
        FloatBuffer dx = dy == null ? null : NativeFloats.of(epsAtInput);
        FloatBuffer m = NativeFloats.of(meanCache);
        FloatBuffer v = NativeFloats.of(varCache);
        FloatBuffer g = NativeFloats.of(gamma);
        FloatBuffer dg = NativeFloats.of(dGammaView);
        FloatBuffer db = NativeFloats.of(dBetaView);
        if (dx == null || m == null || v == null || g == null || dg == null || db == null) {
            return false;
        }
        BatchNormKernel.backward(x, dy, kernelShape, m, v, g, eps, dx, dg, db);
        return true;
    }

    private static Gradient gradient(INDArray dGammaView, INDArray dBetaView) {
        Gradient g = new DefaultGradient();
        g.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        g.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return g;
    }

    /** NCHW or [n, channels] as the kernel's shape, or null where the kernel does not apply. */
    private static BatchNormKernel.Shape kernelShape(INDArray x) {
        if (!CpuKernels.enabled() || x.length() > Integer.MAX_VALUE || (x.rank() != 2 && x.rank() != 4)) {
            return null;
        }
        long spatial = x.rank() == 4 ? x.size(2) * x.size(3) : 1;
        return new BatchNormKernel.Shape((int) x.size(0), (int) x.size(1), (int) spatial);
    }

    private static INDArray vector(INDArray a) {
        return a.rank() == 1 ? a : a.reshape(a.length());
    }
}
