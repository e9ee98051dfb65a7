package org.sparkcnn.pipeline.error;

/** A configuration key that is unknown, of the wrong type or out of range; always names the key. */
public final class InvalidConfigException extends BadInputException {
    private final String key;

    public InvalidConfigException(String key, String message) {
        super("Invalid configuration key '" + key + "': " + message);
        this.key = key;
    }

    /** The offending configuration key, as written in HOCON (e.g. {@code image.height}). */
    public String key() {
        return key;
    }
}
