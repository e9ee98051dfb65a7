package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.FrozenVertex;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per layer, in {@link LayerOrder}: whether it is frozen (DL4J {@link FrozenLayer}, {@link FrozenLayerWithBackprop}
 * or a graph's {@link FrozenVertex}) and how many parameters it holds. Also the guard that keeps frozen parameters
 * bit-identical through parameter averaging: dl4j-spark averages n identical copies by summing then dividing,
 * which for n not a power of two rounds some values by one ulp (with 3 workers, 12 % of random floats; seen in
 * TransferLearningIT without this guard), so the trainer puts the frozen values back after each round.
 */
public final class FrozenLayers {
    /** One row of the table. */
    public record Row(int index, String name, String type, long params, boolean frozen) {}

    private FrozenLayers() {}

    public static List<Row> rows(Network network) {
        List<Row> rows = new ArrayList<>();
        LayerOrder order = LayerOrder.of(network);
        for (int i = 0; i < order.size(); i++) {
            String name = order.name(i);
            if (network.isGraph()) {
                GraphVertex v = network.graph().getVertex(name);
                Layer layer = v.hasLayer() ? v.getLayer() : null;
                boolean frozen = v instanceof FrozenVertex || isFrozen(layer);
                rows.add(new Row(i, name, layer == null ? simpleName(v) : typeOf(layer),
                        layer == null ? 0 : layer.numParams(), frozen));
            } else {
                Layer layer = network.multiLayer().getLayer(i);
                rows.add(new Row(i, name, typeOf(layer), layer.numParams(), isFrozen(layer)));
            }
        }
        return rows;
    }

    public static long frozenParams(Network network) {
        return rows(network).stream().filter(Row::frozen).mapToLong(Row::params).sum();
    }

    public static boolean any(Network network) {
        return rows(network).stream().anyMatch(Row::frozen);
    }

    /** Copies of the frozen layers' parameters, by layer name. */
    public static Map<String, INDArray> snapshot(Network network) {
        Map<String, INDArray> saved = new LinkedHashMap<>();
        for (Row r : rows(network)) {
            if (r.frozen() && r.params() > 0) {
                saved.put(r.name(), layer(network, r).params().dup());
            }
        }
        return saved;
    }

    /** Writes a {@link #snapshot} back into the same layers of {@code network}. */
    public static void restore(Network network, Map<String, INDArray> saved) {
        if (saved.isEmpty()) {
            return;
        }
        for (Row r : rows(network)) {
            INDArray values = saved.get(r.name());
            if (values != null) {
                layer(network, r).params().assign(values);
            }
        }
    }

    private static Layer layer(Network network, Row r) {
        return network.isGraph() ? network.graph().getVertex(r.name()).getLayer() : network.multiLayer().getLayer(r.index());
    }

    private static boolean isFrozen(Layer layer) {
        return layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop;
    }

    /** The wrapped layer's type for frozen layers (their frozen state is its own column). */
    private static String typeOf(Layer layer) {
        if (layer instanceof FrozenLayer f) {
            return typeOf(f.getInsideLayer());
        }
        if (layer instanceof FrozenLayerWithBackprop f) {
            return typeOf(f.getInsideLayer());
        }
        return layer.conf().getLayer().getClass().getSimpleName();
    }

    private static String simpleName(Object o) {
        return o.getClass().getSimpleName();
    }
}
