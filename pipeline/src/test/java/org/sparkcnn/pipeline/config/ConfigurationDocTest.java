package org.sparkcnn.pipeline.config;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md documents exactly the keys of reference.conf, each with reference.conf's default. A table
 * row documents a key when its first cell is that key in backticks and its second cell starts with the default in
 * backticks (a string's value without quotes, {@code ""} for the empty string; anything else as reference.conf
 * writes it; numbers compare by value).
 */
class ConfigurationDocTest {

    /** The module's tests run in pipeline/, so the repository root is its parent. */
    private static final Path DOC = Path.of("..", "docs", "configuration.md");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-z][a-z0-9.-]*)`\\s*\\|\\s*`([^`]*)`");

    @Test
    void everyReferenceKeyIsDocumentedWithItsDefaultAndNothingElse() throws IOException {
        assertTrue(Files.isRegularFile(DOC), DOC.toAbsolutePath() + " exists");
        Map<String, String> documented = new LinkedHashMap<>();
        Set<String> twice = new TreeSet<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher m = ROW.matcher(line);
            if (m.find() && documented.put(m.group(1), m.group(2)) != null) {
                twice.add(m.group(1));
            }
        }
        Set<String> known = ConfigLoader.knownKeys();

        Set<String> missing = new TreeSet<>(known);
        missing.removeAll(documented.keySet());
        assertEquals(Set.of(), missing, "keys of reference.conf with no row in docs/configuration.md");

        Set<String> unknown = new TreeSet<>(documented.keySet());
        unknown.removeAll(known);
        assertEquals(Set.of(), unknown, "rows of docs/configuration.md for keys reference.conf does not have");

        assertTrue(twice.isEmpty(), "keys documented twice: " + twice);

        Map<String, String> wrongDefault = new LinkedHashMap<>();
        for (String key : known) {
            ConfigValue value = ConfigLoader.reference().getValue(key);
            String expected = shown(value);
            if (!sameDefault(value, expected, documented.get(key))) {
                wrongDefault.put(key, "documented `" + documented.get(key) + "`, reference.conf `" + expected + "`");
            }
        }
        assertEquals(Map.of(), wrongDefault, "defaults in docs/configuration.md that differ from reference.conf");
    }

    @Test
    void theDocumentSaysHowKeysAreValidated() throws IOException {
        String doc = Files.readString(DOC);
        assertTrue(doc.contains("Did you mean"), "the did-you-mean hint is documented");
        assertFalse(ConfigLoader.knownKeys().isEmpty());
    }

    /** Numbers compare by value, so the document may write {@code 0.0} where HOCON renders {@code 0}. */
    private static boolean sameDefault(ConfigValue value, String expected, String documented) {
        if (value.valueType() == ConfigValueType.NUMBER) {
            try {
                return ((Number) value.unwrapped()).doubleValue() == Double.parseDouble(documented);
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return expected.equals(documented);
    }

    private static String shown(ConfigValue value) {
        if (value.valueType() == ConfigValueType.STRING) {
            String s = (String) value.unwrapped();
            return s.isEmpty() ? "\"\"" : s;
        }
        return value.render(ConfigRenderOptions.concise());
    }
}
