package org.sparkcnn.jobs;

import org.sparkcnn.pipeline.cli.PipelineCli;

/**
 * The entry point for {@code bin/pipeline} and {@code spark-submit --class org.sparkcnn.jobs.PipelineMain}: runs
 * the CLI and maps its outcome.
 * <ul>
 *   <li>Success: {@code main} returns normally (exit status 0 once Spark is stopped). It never calls
 *   {@code System.exit(0)}: in YARN cluster mode the ApplicationMaster would then mark the application FAILED
 *   ("Shutdown hook called before final status was reported", exit code 16) and YARN would start another
 *   attempt.</li>
 *   <li>Failure in YARN cluster mode ({@link YarnClusterDriver#isYarnClusterDriver}): throws a
 *   {@link PipelineFailedException} carrying the CLI's message; the ApplicationMaster reports the application
 *   FAILED with "User class threw exception: ..." and that message in YARN's diagnostics.</li>
 *   <li>Failure anywhere else ({@code bin/pipeline}, client mode, other cluster managers): exits with the CLI's code,
 *   2 for a bad config or input, 1 for a failure. The only place that exits.</li>
 * </ul>
 */
public final class PipelineMain {
    private PipelineMain() {}

    public static void main(String[] args) {
        PipelineCli.Outcome outcome = new PipelineCli(System.out, System.err).run(args);
        if (outcome.ok()) {
            return;
        }
        if (YarnClusterDriver.isYarnClusterDriver(System.getProperties())) {
            throw YarnClusterDriver.failure(outcome);
        }
        System.exit(outcome.code());
    }
}
