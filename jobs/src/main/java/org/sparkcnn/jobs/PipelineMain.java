package org.sparkcnn.jobs;

import org.sparkcnn.pipeline.cli.PipelineCli;

/**
 * The entry point for {@code bin/pipeline} and {@code spark-submit --class org.sparkcnn.jobs.PipelineMain}:
 * runs the CLI and exits with its code. The only place that exits.
 */
public final class PipelineMain {
    private PipelineMain() {}

    public static void main(String[] args) {
        int code = new PipelineCli(System.out, System.err).execute(args);
        System.exit(code);
    }
}
