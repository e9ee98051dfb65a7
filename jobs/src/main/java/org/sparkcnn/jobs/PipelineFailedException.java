package org.sparkcnn.jobs;

/**
 * A command that failed, thrown out of {@code main} in YARN cluster mode so that the ApplicationMaster reports the
 * application FAILED with this message in its diagnostics. The message starts with the CLI's exit code and what it
 * means, then the CLI's own message (for a bad config, the key and what is wrong with it).
 */
public final class PipelineFailedException extends RuntimeException {
    private final int exitCode;

    public PipelineFailedException(int exitCode, String message) {
        super(describe(exitCode) + ": " + message);
        this.exitCode = exitCode;
    }

    /** The exit code {@code bin/pipeline} would have exited with (2 bad config or input, 1 failure). */
    public int exitCode() {
        return exitCode;
    }

    private static String describe(int exitCode) {
        return switch (exitCode) {
            case 2 -> "bad config or input (exit code 2)";
            case 1 -> "failed (exit code 1)";
            default -> "exit code " + exitCode;
        };
    }
}
