package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.lang.reflect.Field;
import java.util.Map;

/**
 * Puts a layer object of ours in place of DL4J's in a built network, everywhere the network holds it: a
 * MultiLayerNetwork's layer array and name-to-layer map, a ComputationGraph's layer array and the layer's vertex.
 * The configuration and parameters stay DL4J's, so saved models are DL4J's own. Leans on DL4J 1.0.0-M2.1 internals:
 * {@code getLayers()} returning the network's own array, and the private fields {@code MultiLayerNetwork.layerMap}
 * and {@code LayerVertex.layer} (a release without them fails here, naming the field; {@code OneDnnHelpersTest}
 * checks the swapped layers are the ones that run).
 */
final class LayerSwap {
    private LayerSwap() {}

    /** Replaces {@code model.getLayers()[index]} with {@code replacement}. */
    static void replace(Model model, int index, Layer replacement) {
        if (model instanceof MultiLayerNetwork net) {
            Layer old = net.getLayers()[index];
            byName(net).replaceAll((name, layer) -> layer == old ? replacement : layer);
            net.getLayers()[index] = replacement;
        } else if (model instanceof ComputationGraph graph) {
            Layer old = graph.getLayers()[index];
            set(VERTEX_LAYER, graph.getVertex(old.conf().getLayer().getLayerName()), replacement);
            graph.getLayers()[index] = replacement;
        } else {
            throw new IllegalArgumentException("not a MultiLayerNetwork or ComputationGraph: " + model);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Layer> byName(MultiLayerNetwork net) {
        try {
            return (Map<String, Layer>) LAYER_MAP.get(net);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read MultiLayerNetwork.layerMap", e);
        }
    }

    private static void set(Field field, Object target, Object value) {
        try {
            field.set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set " + field, e);
        }
    }

    private static final Field VERTEX_LAYER = field(LayerVertex.class, "layer");
    private static final Field LAYER_MAP = field(MultiLayerNetwork.class, "layerMap");

    private static Field field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DL4J's " + owner.getName() + " has no '" + name
                    + "' field any more; check the DL4J version", e);
        }
    }
}
