package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.sparkcnn.pipeline.error.BadInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A network's layers by name in forward order, as {@code model.freeze-up-to} counts them: a MultiLayerNetwork's
 * layers 0..n-1, a ComputationGraph's vertices in topological order without its inputs. The last one is the
 * output layer.
 */
public final class LayerOrder {
    private final List<String> names;

    private LayerOrder(List<String> names) {
        this.names = List.copyOf(names);
    }

    public static LayerOrder of(Network network) {
        List<String> names = new ArrayList<>();
        if (network.isGraph()) {
            ComputationGraph graph = network.graph();
            List<String> inputs = graph.getConfiguration().getNetworkInputs();
            for (String v : graph.getConfiguration().getTopologicalOrderStr()) {
                if (!inputs.contains(v)) {
                    names.add(v);
                }
            }
        } else {
            MultiLayerNetwork net = network.multiLayer();
            for (int i = 0; i < net.getnLayers(); i++) {
                String name = net.getLayerWiseConfigurations().getConf(i).getLayer().getLayerName();
                names.add(name == null ? String.valueOf(i) : name);
            }
        }
        return new LayerOrder(names);
    }

    public List<String> names() {
        return names;
    }

    /**
     * The 0-based position of {@code model.freeze-up-to}: a layer name, or a whole number read as an index. The
     * output layer cannot be frozen, since it is replaced for the new classes.
     */
    public int resolveFreezePoint(String value) {
        int index = names.indexOf(value);
        if (index < 0 && value.matches("\\d{1,9}")) {
            index = Integer.parseInt(value);
            if (index >= names.size()) {
                throw new BadInputException(String.format(Locale.ROOT, "model.freeze-up-to = %s: the pretrained network "
                        + "has layers 0 to %d; valid layer names: %s", value, names.size() - 1, names));
            }
        }
        if (index < 0) {
            throw new BadInputException("model.freeze-up-to = '" + value + "' is not a layer of the pretrained network; "
                    + "valid layer names (or their 0-based index): " + names);
        }
        if (index == names.size() - 1) {
            throw new BadInputException("model.freeze-up-to = '" + value + "' is the output layer '" + names.get(index)
                    + "', which is replaced for this run's classes and trains; freeze an earlier layer, e.g. '"
                    + (index > 0 ? names.get(index - 1) : "") + "'");
        }
        return index;
    }

    public String name(int index) {
        return names.get(index);
    }

    public int size() {
        return names.size();
    }
}
