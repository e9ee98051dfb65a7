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

import java.util.Collections;
import java.util.Map;

/**
 * Batch normalisation through libnd4j's {@code batchnorm} and {@code batchnorm_bp} ops (oneDNN in the forward pass),
 * as DL4J's {@code MKLDNNBatchNormHelper} runs it, with the batch's statistics from one {@code moments} op. DL4J's
 * helper takes them as a mean and then a separate {@code Variance} op, which is slow over the batch and spatial axes
 * of NCHW: at 16x256x16x16, one thread, 0.9 + 6.2 ms against 2.0 ms for {@code moments}; with ResNet-50's 53
 * normalisations at 64x64 a training step of 16 on one thread went from 930 to 854 ms ({@code moments}: 28 ms of it). Both are the biased (population) variance, as
 * DL4J uses in training. {@code OneDnnHelpersTest} checks outputs, running statistics and gradients against DL4J's
 * own path. Only for float arrays, NCHW or rank 2 (a dense layer's), with trainable gamma and beta: what
 * {@code OneDnnHelpers} installs it into.
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
        if (training) {
            long channels = x.size(1);
            if (meanCache == null || meanCache.length() != channels) {
                try (MemoryWorkspace ws = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    meanCache = Nd4j.createUninitialized(DataType.FLOAT, channels);
                    varCache = Nd4j.createUninitialized(DataType.FLOAT, channels);
                }
            }
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
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, x.dataType(), x.shape());
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
        INDArray dLdm = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, meanCache.shape());
        INDArray dLdv = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, DataType.FLOAT, meanCache.shape());
        Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp")
                .addInputs(input, meanCache, varCache, vector(gamma), vector(beta), eps2)
                .addOutputs(epsAtInput, dLdm, dLdv, dGammaView.reshape(dGammaView.length()),
                        dBetaView.reshape(dBetaView.length()))
                .addIntegerArguments(1, 1, 1)
                .addFloatingPointArguments(eps)
                .build());
        Gradient g = new DefaultGradient();
        g.setGradientFor(BatchNormalizationParamInitializer.GAMMA, dGammaView);
        g.setGradientFor(BatchNormalizationParamInitializer.BETA, dBetaView);
        return new Pair<>(g, epsAtInput);
    }

    private static INDArray vector(INDArray a) {
        return a.rank() == 1 ? a : a.reshape(a.length());
    }
}
