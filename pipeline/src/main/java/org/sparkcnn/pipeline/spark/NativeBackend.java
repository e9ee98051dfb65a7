package org.sparkcnn.pipeline.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Picks which build of ND4J's natives JavaCPP loads, before ND4J loads them. The build ships the oneDNN build of
 * {@code nd4j-native} (classifier {@code linux-x86_64-onednn}) beside the plain one, and under {@code -Pcuda} only
 * the cuDNN build of {@code nd4j-cuda}; JavaCPP loads an extension's build only when the system property
 * {@code org.bytedeco.javacpp.platform.extension} names it. This sets that property (unless the user set it)
 * from the build's {@code backend.properties}. It must run before the first ND4J call in a JVM: the driver's
 * main and CLI call it first thing, executors through {@link NativeBackendPlugin}. Without it the plain CPU
 * build loads (correct, several times slower for convolutions).
 */
public final class NativeBackend {
    public static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";
    private static final String RESOURCE = "/org/sparkcnn/pipeline/backend.properties";

    private NativeBackend() {}

    /** Sets {@link #PROPERTY} to this build's extension unless already set; returns the value in effect. */
    public static synchronized String configure() {
        String current = System.getProperty(PROPERTY);
        if (current != null) {
            return current;
        }
        String extension = buildExtension();
        if (!extension.isEmpty()) {
            System.setProperty(PROPERTY, extension);
        }
        return extension;
    }

    /** The extension this build ships natives for ({@code -onednn}, {@code -cudnn}), or empty. */
    public static String buildExtension() {
        try (InputStream in = NativeBackend.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "";
            }
            Properties p = new Properties();
            p.load(in);
            String value = p.getProperty("platform.extension", "").trim();
            return value.startsWith("${") ? "" : value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
