package org.sparkcnn.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import org.sparkcnn.pipeline.config.PipelineConfig.LayerSpec;
import org.sparkcnn.pipeline.error.InvalidConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Parses {@code model.layers} (a Keras-Sequential-like list) into validated {@link LayerSpec}s. */
final class LayerSpecParser {
    static final Set<String> TYPES = Set.of("conv", "pool", "dropout", "batch-norm", "dense");
    private static final Set<String> FIELDS = Set.of("type", "filters", "kernel", "stride", "padding", "activation",
            "size", "rate", "units");
    private static final Set<String> ACTIVATIONS = Set.of("relu", "tanh", "sigmoid", "identity", "leakyrelu", "elu");

    private LayerSpecParser() {}

    static List<LayerSpec> parse(Config c, String architecture) {
        List<? extends Config> layers;
        try {
            layers = c.getConfigList("model.layers");
        } catch (ConfigException.WrongType e) {
            throw new InvalidConfigException("model.layers", "must be a list of layer objects, e.g. "
                    + "[{type = conv, filters = 32, kernel = 3}, {type = pool, size = 2}]");
        }
        if (architecture.equals("custom") && layers.isEmpty()) {
            throw new InvalidConfigException("model.layers", "is empty; model.architecture = custom needs at least one layer");
        }
        if (!architecture.equals("custom") && !layers.isEmpty()) {
            throw new InvalidConfigException("model.layers", "is only read when model.architecture = custom (it is '"
                    + architecture + "')");
        }
        List<LayerSpec> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Config l = layers.get(i);
            String key = "model.layers[" + i + "]";
            for (String field : l.root().keySet()) {
                if (!FIELDS.contains(field)) {
                    throw new InvalidConfigException(key + "." + field, "unknown layer field"
                            + KeySuggester.nearest(field, FIELDS).map(f -> " (did you mean '" + f + "'?)").orElse(""));
                }
            }
            String type = l.hasPath("type") ? l.getString("type") : "";
            if (!TYPES.contains(type)) {
                throw new InvalidConfigException(key + ".type", "value '" + type + "' is not one of " + TYPES);
            }
            String padding = l.hasPath("padding") ? l.getString("padding") : "valid";
            if (!padding.equals("same") && !padding.equals("valid")) {
                throw new InvalidConfigException(key + ".padding", "value '" + padding + "' is not same or valid");
            }
            String activation = l.hasPath("activation") ? l.getString("activation") : "relu";
            if (!ACTIVATIONS.contains(activation)) {
                throw new InvalidConfigException(key + ".activation", "value '" + activation + "' is not one of " + ACTIVATIONS);
            }
            LayerSpec spec = new LayerSpec(type, positive(l, key, "filters", 32), positive(l, key, "kernel", 3),
                    positive(l, key, "stride", 1), padding, activation, positive(l, key, "size", 2),
                    l.hasPath("rate") ? l.getDouble("rate") : 0.25, positive(l, key, "units", 128));
            if (spec.rate() < 0 || spec.rate() >= 1) {
                throw new InvalidConfigException(key + ".rate", "value " + spec.rate() + " must be in [0, 1)");
            }
            out.add(spec);
        }
        return out;
    }

    private static int positive(Config l, String key, String field, int dflt) {
        if (!l.hasPath(field)) {
            return dflt;
        }
        int v;
        try {
            v = l.getInt(field);
        } catch (ConfigException.WrongType e) {
            throw new InvalidConfigException(key + "." + field, "value " + l.getValue(field).render() + " is not a whole number");
        }
        if (v < 1) {
            throw new InvalidConfigException(key + "." + field, "value " + v + " must be at least 1");
        }
        return v;
    }
}
