package org.sparkcnn.pipeline.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Stable SHA-256 fingerprints of a resolved configuration, so a committed stage can tell whether a re-run
 * asks for the same output (an idempotent retry) or a different one (refused without overwrite).
 */
public final class ConfigFingerprint {
    /** The sections that determine what an ingest writes. */
    public static final List<String> INGEST_SECTIONS = List.of("corpus", "image", "split", "seed", "ingest");
    private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ConfigFingerprint() {}

    /** The resolved configuration as a JSON tree. */
    public static JsonNode tree(PipelineConfig config) {
        try {
            return JSON.readTree(config.resolvedHocon());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fingerprint of the given top-level sections only. */
    public static String of(PipelineConfig config, List<String> sections) {
        JsonNode all = tree(config);
        ObjectNode subset = JSON.createObjectNode();
        for (String s : sections) {
            if (all.has(s)) {
                subset.set(s, all.get(s));
            }
        }
        return sha256(subset.toString());
    }

    /** Ingest-relevant sections; {@code augment} counts only when ingest materialises augmented copies. */
    public static String ingest(PipelineConfig config) {
        if (config.ingest().augmentCopies() > 0) {
            List<String> sections = new java.util.ArrayList<>(INGEST_SECTIONS);
            sections.add("augment");
            return of(config, sections);
        }
        return of(config, INGEST_SECTIONS);
    }

    /**
     * Fingerprint of what determines a training run's trajectory: model, train (except {@code train.epochs},
     * so a finished run may be extended, and {@code train.exchange}, which gives the same updates bit for bit, so a
     * run may resume under another) and seed.
     */
    public static String training(PipelineConfig config) {
        JsonNode all = tree(config);
        ObjectNode subset = JSON.createObjectNode();
        for (String s : List.of("model", "train", "seed")) {
            if (all.has(s)) {
                subset.set(s, all.get(s).deepCopy());
            }
        }
        if (subset.get("train") instanceof ObjectNode train) {
            train.remove("epochs");
            train.remove("exchange");
            train.remove("training-metrics");
        }
        return sha256(subset.toString());
    }

    /** Hex SHA-256 of {@code text} as UTF-8. */
    public static String sha256(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
