package org.sparkcnn.pipeline.error;

/**
 * A problem with what the user gave us (configuration, corpus, arguments) rather than a failure
 * of the pipeline itself. The CLI maps it to exit code 2; its message says what is wrong and what to do.
 */
public class BadInputException extends RuntimeException {
    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
