package org.sparkcnn.jobs;

import org.sparkcnn.pipeline.cli.PipelineCli;

/**
 * The entry point for {@code bin/pipeline} and {@code spark-submit --class org.sparkcnn.jobs.PipelineMain}: runs
 * the CLI and maps its outcome.
 * <ul>
 *   <li>In YARN cluster mode ({@link YarnClusterDriver#isYarnClusterDriver}), {@code main} never exits: on success it
 *   returns and the ApplicationMaster reports SUCCEEDED (a {@code System.exit}, even with 0, would make it mark the
 *   application FAILED, "Shutdown hook called before final status was reported", and YARN start another attempt);
 *   on failure it throws a {@link PipelineFailedException} carrying the CLI's message, which the ApplicationMaster
 *   reports as FAILED with that message in YARN's diagnostics.</li>
 *   <li>Everywhere else ({@code bin/pipeline}, client mode, other cluster managers) it exits with the CLI's code: 0,
 *   2 for a bad config or input, 1 for a failure. Exiting on success too ends the JVM even where a thread Spark
 *   leaves behind is not a daemon (the barrier task timer of a barrier job in local mode keeps it alive).</li>
 * </ul>
 * The only place that exits.
 */
public final class PipelineMain {
    private PipelineMain() {}

    public static void main(String[] args) {
        PipelineCli.Outcome outcome = new PipelineCli(System.out, System.err).run(args);
        if (YarnClusterDriver.isYarnClusterDriver(System.getProperties())) {
            if (!outcome.ok()) {
                throw YarnClusterDriver.failure(outcome);
            }
            return;
        }
        System.exit(outcome.code());
    }
}
