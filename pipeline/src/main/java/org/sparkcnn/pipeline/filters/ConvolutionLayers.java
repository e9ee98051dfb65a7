package org.sparkcnn.pipeline.filters;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.sparkcnn.pipeline.model.LayerOrder;
import org.sparkcnn.pipeline.model.Network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A network's plain 2-D convolution layers in forward order (frozen ones included), with their kernels and, for
 * one input, their activations.
 */
final class ConvolutionLayers {
    /** One convolution layer: its position in {@link LayerOrder}, name and weights {@code [out, in, kh, kw]}. */
    record Conv(int index, String name, INDArray weights) {}

    private ConvolutionLayers() {}

    static List<Conv> of(Network network) {
        LayerOrder order = LayerOrder.of(network);
        List<Conv> convs = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            Layer layer = network.isGraph()
                    ? (network.graph().getVertex(order.name(i)).hasLayer() ? network.graph().getVertex(order.name(i)).getLayer() : null)
                    : network.multiLayer().getLayer(i);
            Layer inner = unwrap(layer);
            if (inner != null && isPlainConvolution(inner.conf().getLayer())) {
                convs.add(new Conv(i, order.name(i), inner.getParam("W")));
            }
        }
        return convs;
    }

    /** Each layer's output for {@code input} ({@code [1, c, h, w]}), inference mode, by layer name. */
    static Map<String, INDArray> activations(Network network, INDArray input) {
        if (network.isGraph()) {
            return network.graph().feedForward(input, false);
        }
        List<INDArray> acts = network.multiLayer().feedForward(input, false);
        Map<String, INDArray> byName = new java.util.HashMap<>();
        LayerOrder order = LayerOrder.of(network);
        for (int i = 0; i < order.size(); i++) {
            byName.put(order.name(i), acts.get(i + 1));
        }
        return byName;
    }

    private static boolean isPlainConvolution(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return conf.getClass() == ConvolutionLayer.class || conf.getClass() == Convolution2D.class;
    }

    private static Layer unwrap(Layer layer) {
        if (layer instanceof FrozenLayer f) {
            return f.getInsideLayer();
        }
        if (layer instanceof FrozenLayerWithBackprop f) {
            return f.getInsideLayer();
        }
        return layer;
    }
}
