package org.sparkcnn.pipeline.demo;

import org.apache.spark.sql.SparkSession;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.evaluate.EvaluateJob;
import org.sparkcnn.pipeline.evaluate.EvaluationResult;
import org.sparkcnn.pipeline.ingest.IngestJob;
import org.sparkcnn.pipeline.ingest.IngestResult;
import org.sparkcnn.pipeline.report.ReportJob;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;
import org.sparkcnn.pipeline.train.TrainJob;
import org.sparkcnn.pipeline.train.TrainResult;

import java.io.PrintStream;
import java.util.Optional;

/**
 * {@code run} (ingest, train, evaluate and the run report in one go) and {@code demo} (the same on a generated synthetic
 * corpus). Each stage is idempotent for the same run id, so a retried run picks up where it stopped.
 */
public final class EndToEndJob {
    private final PrintStream out;

    public EndToEndJob(PrintStream out) {
        this.out = out;
    }

    public DemoResult run(SparkSession spark, PipelineConfig config) {
        IngestResult ingest = new IngestJob(out).run(spark, config);
        TrainResult train = new TrainJob(out).run(spark, config);
        EvaluationResult evaluation = new EvaluateJob(out).run(spark, config, "final");
        boolean reported = new ReportJob(out).runAfter("run", spark, config, out);
        return new DemoResult(config.run().id(), ingest.runRoot(), ingest, train, evaluation,
                reported ? Optional.of(RunLayout.of(config.output().uri(), config.run().id()).report()) : Optional.empty());
    }

    /** Generates the synthetic corpus at {@code corpus.uri} (unless complete already), then {@link #run}. */
    public DemoResult demo(SparkSession spark, PipelineConfig config) {
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        String corpus = Storage.qualify(config.corpus().uri());
        int written = SyntheticCorpus.write(storage, corpus, config.demo().classes(), config.demo().imagesPerClass(),
                config.demo().imageSize(), config.seed());
        out.printf("demo: synthetic corpus at %s (%s)%n", corpus,
                written > 0 ? written + " JPEGs generated" : "already complete");
        return run(spark, config);
    }
}
