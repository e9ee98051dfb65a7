package org.sparkcnn.pipeline.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.sparkcnn.pipeline.augment.Preprocessing;
import org.sparkcnn.pipeline.config.CodeVersion;
import org.sparkcnn.pipeline.config.PipelineConfig.Decoder;
import org.sparkcnn.pipeline.config.PipelineConfig.ImageConfig;
import org.sparkcnn.pipeline.config.PipelineConfig.ResizeMode;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Spark ML persistence for {@link CnnClassifier} and {@link CnnClassificationModel}, written by us in Spark ML's
 * layout (so {@code Pipeline}/{@code PipelineModel} save and load them as stages): {@code <path>/metadata/part-00000}
 * holds one JSON line ({@code class}, {@code timestamp}, {@code sparkVersion}, {@code uid}, {@code paramMap},
 * {@code defaultParamMap}); a model adds its classes, image shape and the network's SHA-256 there, and
 * {@code <path>/data/network.zip} and {@code <path>/data/preprocessing.json}. What is read back is input: the class
 * must be the one asked for, every param must exist, and the network's bytes must match the recorded digest before
 * DL4J reads them (through the pipeline's deserialisation guard).
 */
final class MlPersistence {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String METADATA = "metadata";
    static final String NETWORK = "data/network.zip";
    static final String PREPROCESSING = "data/preprocessing.json";

    private MlPersistence() {}

    /** The metadata line of {@code instance}: Spark ML's fields, and {@code producer} with our version. */
    static ObjectNode metadata(Params instance, String sparkVersion) {
        ObjectNode m = JSON.createObjectNode();
        m.put("class", instance.getClass().getName());
        m.put("timestamp", System.currentTimeMillis());
        m.put("sparkVersion", sparkVersion);
        m.put("uid", instance.uid());
        ObjectNode set = m.putObject("paramMap");
        ObjectNode defaults = m.putObject("defaultParamMap");
        for (Param<?> p : instance.params()) {
            @SuppressWarnings("unchecked")
            Param<Object> param = (Param<Object>) p;
            try {
                if (instance.isSet(param)) {
                    set.set(param.name(), JSON.readTree(param.jsonEncode(instance.getOrDefault(param))));
                } else if (instance.hasDefault(param)) {
                    defaults.set(param.name(), JSON.readTree(param.jsonEncode(instance.getDefault(param).get())));
                }
            } catch (IOException e) {
                throw new IllegalStateException("param " + param.name() + " did not encode as JSON", e);
            }
        }
        m.put("producer", CodeVersion.get());
        return m;
    }

    static void writeMetadata(Storage storage, String path, ObjectNode metadata) {
        storage.writeAtomically(Storage.join(path, METADATA, "part-00000"),
                (metadata.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        storage.writeAtomically(Storage.join(path, METADATA, "_SUCCESS"), new byte[0]);
    }

    /** The metadata at {@code path}, checked to be of {@code type}. */
    static JsonNode readMetadata(Storage storage, String path, Class<?> type) {
        String uri = Storage.join(path, METADATA, "part-00000");
        if (!storage.exists(uri)) {
            throw new BadInputException("no saved Spark ML stage at " + path + " (" + uri + " is missing)");
        }
        JsonNode m;
        try {
            m = JSON.readTree(storage.readAll(uri));
        } catch (IOException e) {
            throw new BadInputException(uri + " is not JSON: " + e.getMessage(), e);
        }
        if (m == null || !m.isObject() || !type.getName().equals(m.path("class").asText())) {
            throw new BadInputException(uri + " holds a " + (m == null ? "nothing" : m.path("class").asText("?"))
                    + ", not a " + type.getName() + "; load it with its own class");
        }
        if (!m.path("uid").isTextual() || !m.path("paramMap").isObject()) {
            throw new BadInputException(uri + " has no uid or paramMap: not Spark ML metadata");
        }
        return m;
    }

    /** Sets (or makes the default) every param the metadata lists; a name the class does not have is an error. */
    static void applyParams(Params instance, JsonNode metadata, String path) {
        for (String section : List.of("defaultParamMap", "paramMap")) {
            Iterator<Map.Entry<String, JsonNode>> fields = metadata.path(section).fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (!instance.hasParam(f.getKey())) {
                    throw new BadInputException("the Spark ML stage at " + path + " sets param '" + f.getKey()
                            + "', which " + instance.getClass().getSimpleName() + " does not have");
                }
                @SuppressWarnings("unchecked")
                Param<Object> param = (Param<Object>) instance.getParam(f.getKey());
                Object value = param.jsonDecode(f.getValue().toString());
                if (!Boolean.TRUE.equals(param.isValid().apply(value))) {
                    throw new BadInputException("the Spark ML stage at " + path + " gives param '" + f.getKey()
                            + "' the invalid value " + f.getValue());
                }
                if (section.equals("paramMap")) {
                    instance.set(param, value);
                }
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An estimator: params only. */
    static final class ParamsWriter extends MLWriter {
        private final Params instance;

        ParamsWriter(Params instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            writeMetadata(Storage.of(sc().hadoopConfiguration()), path, metadata(instance, sc().version()));
        }
    }

    static final class ParamsReader<T extends Params> extends MLReader<T> {
        private final Class<T> type;

        ParamsReader(Class<T> type) {
            this.type = type;
        }

        @Override
        public T load(String path) {
            JsonNode m = readMetadata(Storage.of(sparkSession().sparkContext().hadoopConfiguration()), path, type);
            T instance;
            try {
                instance = type.getConstructor(String.class).newInstance(m.path("uid").asText());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(type.getName() + " has no (String uid) constructor", e);
            }
            applyParams(instance, m, path);
            return instance;
        }
    }

    static final class ModelWriter extends MLWriter {
        private final CnnClassificationModel model;

        ModelWriter(CnnClassificationModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            Storage storage = Storage.of(sc().hadoopConfiguration());
            CnnClassificationModel.ModelData data = model.data();
            storage.writeAtomically(Storage.join(path, NETWORK), data.network());
            try {
                storage.writeAtomically(Storage.join(path, PREPROCESSING),
                        ManifestStore.JSON.writeValueAsBytes(data.preprocessing()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            ObjectNode m = metadata(model, sc().version());
            ArrayNode classes = m.putArray("classes");
            data.classes().forEach(classes::add);
            ObjectNode image = m.putObject("image");
            image.put("height", data.image().height());
            image.put("width", data.image().width());
            image.put("channels", data.image().channels());
            image.put("resizeMode", data.image().resizeMode().name());
            m.put("maxPixels", data.maxPixels());
            m.put("decoder", data.decoder().name());
            m.put("networkBytes", data.network().length);
            m.put("networkSha256", sha256(data.network()));
            writeMetadata(storage, path, m);   // last: a stage without metadata is not a stage
        }
    }

    static final class ModelReader extends MLReader<CnnClassificationModel> {
        @Override
        public CnnClassificationModel load(String path) {
            Storage storage = Storage.of(sparkSession().sparkContext().hadoopConfiguration());
            JsonNode m = readMetadata(storage, path, CnnClassificationModel.class);
            String networkUri = Storage.join(path, NETWORK);
            if (!storage.exists(networkUri)) {
                throw new BadInputException("the model at " + path + " has no network (" + networkUri + " is missing)");
            }
            byte[] network = storage.readAll(networkUri);
            String sha = sha256(network);
            if (network.length != m.path("networkBytes").asLong(-1) || !sha.equals(m.path("networkSha256").asText())) {
                throw new BadInputException(networkUri + " is corrupt: " + network.length + " bytes with SHA-256 " + sha
                        + ", but the model's metadata recorded " + m.path("networkBytes").asText("?") + " bytes with "
                        + "SHA-256 " + m.path("networkSha256").asText("?") + "; save the model again");
            }
            try {
                Network.read(network, false, networkUri);   // refuses a crafted zip before anything is used
            } catch (IOException | RuntimeException e) {
                throw new BadInputException(networkUri + " is not a readable DL4J model: " + e, e);
            }
            List<String> classes = new ArrayList<>();
            m.path("classes").forEach(c -> classes.add(c.asText()));
            JsonNode image = m.path("image");
            Preprocessing preprocessing;
            try {
                preprocessing = ManifestStore.JSON.readValue(storage.readAll(Storage.join(path, PREPROCESSING)),
                        Preprocessing.class);
            } catch (IOException | RuntimeException e) {
                throw new BadInputException(Storage.join(path, PREPROCESSING) + " is unreadable: " + e.getMessage(), e);
            }
            if (classes.isEmpty() || image.path("height").asInt() <= 0 || image.path("width").asInt() <= 0) {
                throw new BadInputException("the model metadata at " + path + " has no classes or image shape");
            }
            CnnClassificationModel model = new CnnClassificationModel(m.path("uid").asText(),
                    new CnnClassificationModel.ModelData(network, classes, new ImageConfig(image.path("height").asInt(),
                            image.path("width").asInt(), image.path("channels").asInt(),
                            ResizeMode.valueOf(image.path("resizeMode").asText("STRETCH"))), preprocessing,
                            m.path("maxPixels").asLong(100_000_000L), Decoder.valueOf(m.path("decoder").asText("OPENCV"))));
            applyParams(model, m, path);
            return model;
        }
    }
}
