package org.sparkcnn.pipeline.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The pipeline's version, stamped into every manifest and table for provenance. */
public final class CodeVersion {
    private static final String VERSION = load();

    private CodeVersion() {}

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = CodeVersion.class.getResourceAsStream("/org/sparkcnn/pipeline/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return "spark-cnn-pipeline " + p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
