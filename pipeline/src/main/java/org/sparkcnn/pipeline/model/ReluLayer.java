package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.ActivationLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's {@code ActivationLayer} for a plain ReLU, one pass over the activations each way: the output
 * {@code max(x, 0)} written straight into a new array, and the input gradient {@code x > 0 ? dy : 0} likewise.
 * DL4J's layer copies its input first in both directions (to keep it for the backward pass, which it also keeps as
 * the layer's input) and its ReLU's backward pass allocates one more array: ResNet-50 at 64x64 spent 46 ms of a
 * training step of 16 in its 49 ReLUs. Put in place of DL4J's at run time ({@link #replaceIn}) for plain ReLUs
 * without dropout; the configuration and saved model are DL4J's own. {@code OneDnnHelpersTest} holds outputs and
 * gradients to DL4J's layer.
 */
final class ReluLayer extends ActivationLayer {
    private ReluLayer(ActivationLayer original, DataType dataType) {
        super(original.conf(), dataType);
        setIndex(original.getIndex());
        setListeners(original.getListeners());
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, input.dataType(), input.shape(),
                input.ordering());
        Nd4j.exec(new RectifiedLinear(input, out));
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(),
                input.ordering());
        Nd4j.exec(new RectifiedLinearDerivative(input, epsilon, dx));
        return new Pair<>(new DefaultGradient(), dx);
    }

    /** Whether a layer is exactly DL4J's activation layer with a plain ReLU and no dropout. */
    static boolean plain(Layer layer) {
        if (layer.getClass() != ActivationLayer.class) {
            return false;
        }
        var conf = (org.deeplearning4j.nn.conf.layers.ActivationLayer) layer.conf().getLayer();
        return conf.getIDropout() == null && conf.getActivationFn() instanceof ActivationReLU relu
                && relu.getClass() == ActivationReLU.class && relu.equals(new ActivationReLU());
    }

    /** Replaces every plain ReLU layer of a network with one of these; returns how many. */
    static int replaceIn(Model model) {
        Layer[] layers = model instanceof MultiLayerNetwork mln ? mln.getLayers()
                : model instanceof ComputationGraph cg ? cg.getLayers() : new Layer[0];
        int replaced = 0;
        for (int i = 0; i < layers.length; i++) {
            if (!plain(layers[i])) {
                continue;
            }
            LayerSwap.replace(model, i, new ReluLayer((ActivationLayer) layers[i], model instanceof ComputationGraph cg
                    ? cg.getConfiguration().getDataType()
                    : ((MultiLayerNetwork) model).getLayerWiseConfigurations().getDataType()));
            replaced++;
        }
        return replaced;
    }
}
