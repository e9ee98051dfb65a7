package org.sparkcnn.pipeline.cli;

import org.apache.spark.sql.SparkSession;
import org.sparkcnn.pipeline.report.AugmentPreview;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.JavaCppSizes;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.demo.DemoResult;
import org.sparkcnn.pipeline.demo.EndToEndJob;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.evaluate.EvaluateJob;
import org.sparkcnn.pipeline.filters.FiltersJob;
import org.sparkcnn.pipeline.ingest.IngestJob;
import org.sparkcnn.pipeline.predict.PredictJob;
import org.sparkcnn.pipeline.report.ReportJob;
import org.sparkcnn.pipeline.spark.ClusterPaths;
import org.sparkcnn.pipeline.spark.NativeBackend;
import org.sparkcnn.pipeline.spark.SparkSessionFactory;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.train.TrainJob;

import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The command line: parses, loads and validates the configuration before any Spark work, runs the verb's
 * job and maps the outcome to an exit code (0 ok, 2 bad config or input, 1 failure). Never exits itself.
 */
public final class PipelineCli {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;

    private final PrintStream out;
    private final PrintStream err;

    public PipelineCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * What a command ended with: the exit code, the message printed after {@code error: } / {@code failed: } (empty
     * on success), and whether a SparkSession was started (an entry point may need to know whether the cluster
     * manager has seen the driver: YARN's ApplicationMaster registers only once a SparkContext exists).
     */
    public record Outcome(int code, String message, boolean sparkStarted) {
        public boolean ok() {
            return code == OK;
        }
    }

    /** Runs the command and returns its exit code (see {@link #run}). */
    public int execute(String[] args) {
        return run(args).code();
    }

    /** Runs the command; never throws for a bad input or a job failure, and never exits. */
    public Outcome run(String[] args) {
        NativeBackend.configure();
        PipelineConfig config;
        CommandLine cmd;
        try {
            cmd = CommandLineParser.parse(args);
            if (cmd.help()) {
                out.print(cmd.verb() == null ? HelpText.general() : HelpText.forVerb(cmd.verb()));
                return new Outcome(OK, "", false);
            }
            JavaCppSizes.validateThisJvm();
            config = loadConfig(cmd);
        } catch (BadInputException e) {
            return badInput(e, false);
        }
        SparkSession spark = null;
        try {
            spark = SparkSessionFactory.create(config, "spark-cnn-pipeline " + cmd.verb().cliName() + " " + config.run().id());
            // paths without a scheme mean the cluster's default filesystem; file: paths only where executors share them
            config = ClusterPaths.resolve(config, spark.sparkContext().master(), spark.sparkContext().hadoopConfiguration());
            out.printf("%s: run %s at %s%n", cmd.verb().cliName(), config.run().id(),
                    RunLayout.of(config.output().uri(), config.run().id()).root());
            dispatch(cmd, spark, config);
            return new Outcome(OK, "", true);
        } catch (BadInputException e) {
            return badInput(e, spark != null);
        } catch (Exception | Error e) {
            BadInputException cause = badInputCause(e);
            if (cause != null) {
                return badInput(cause, spark != null);
            }
            err.println("failed: " + e);
            e.printStackTrace(err);
            return new Outcome(FAILURE, String.valueOf(e), spark != null);
        } finally {
            if (spark != null) {
                spark.stop();
            }
        }
    }

    private Outcome badInput(BadInputException e, boolean sparkStarted) {
        err.println("error: " + e.getMessage());
        return new Outcome(BAD_INPUT, e.getMessage(), sparkStarted);
    }

    private void dispatch(CommandLine cmd, SparkSession spark, PipelineConfig config) {
        switch (cmd.verb()) {
            case INGEST -> new IngestJob(out).run(spark, config);
            case TRAIN -> new TrainJob(out).run(spark, config);
            case EVALUATE -> new EvaluateJob(out).run(spark, config, cmd.checkpoint());
            case PREDICT -> new PredictJob(out).run(spark, config, cmd.checkpoint(), cmd.model(), cmd.output(), cmd.inputs());
            case RUN -> report(new EndToEndJob(out).run(spark, config));
            case DEMO -> report(new EndToEndJob(out).demo(spark, config));
            case AUGMENT_PREVIEW -> new AugmentPreview(out).run(spark, config, cmd.previewCount());
            case REPORT -> new ReportJob(out).run(spark, config);
            case FILTERS -> new FiltersJob(out).run(spark, config, cmd.checkpoint(), cmd.image(), cmd.kernel());
        }
        if (REFRESHES_REPORT.contains(cmd.verb())) {
            new ReportJob(out).runAfter(cmd.verb().cliName(), spark, config, err);
        }
    }

    /**
     * Verbs after whose success report.html is rewritten (a report failure is then only a warning); run and demo
     * write it as their last stage.
     */
    private static final java.util.Set<Verb> REFRESHES_REPORT = java.util.EnumSet.of(Verb.TRAIN, Verb.EVALUATE);

    private void report(DemoResult result) {
        out.printf(Locale.ROOT, "done: run %s, test accuracy %.4f (top-%d %.4f); outputs in %s%n", result.runId(),
                result.evaluation().accuracy(), result.evaluation().topK(), result.evaluation().topKAccuracy(),
                result.runRoot());
    }

    /**
     * Loads the configuration; generates {@code run.id} when empty and, for the demo, points
     * {@code corpus.uri} at the generated corpus. Both are added as overrides so the resolved config
     * recorded in manifests is the one that ran.
     */
    static PipelineConfig loadConfig(CommandLine cmd) {
        List<String> overrides = new ArrayList<>(cmd.overrides());
        // the demo carries its own defaults, so `bin/pipeline demo` alone trains the demo as README's command does
        com.typesafe.config.Config verbDefaults = cmd.verb() == Verb.DEMO ? ConfigLoader.demoDefaults()
                : com.typesafe.config.ConfigFactory.empty();
        PipelineConfig config = ConfigLoader.load(cmd.confFile(), overrides, verbDefaults);
        if (config.run().id().isEmpty()) {
            overrides.add("run.id=" + generateRunId());
            config = ConfigLoader.load(cmd.confFile(), overrides, verbDefaults);
        }
        if (cmd.verb() == Verb.DEMO) {
            String corpus = config.demo().corpusUri().isEmpty()
                    ? RunLayout.of(config.output().uri(), config.run().id()).corpus()
                    : config.demo().corpusUri();
            overrides.add(0, "corpus.layout=food101");
            overrides.add(0, "corpus.uri=" + corpus);
            config = ConfigLoader.load(cmd.confFile(), overrides, verbDefaults);
        }
        return config;
    }

    static String generateRunId() {
        return "run-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    /** Spark wraps exceptions thrown in tasks; a bad input found on an executor is still a bad input. */
    private static BadInputException badInputCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BadInputException b) {
                return b;
            }
        }
        return null;
    }
}
