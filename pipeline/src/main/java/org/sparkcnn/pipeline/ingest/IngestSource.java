package org.sparkcnn.pipeline.ingest;

import org.apache.spark.api.java.JavaSparkContext;
import org.sparkcnn.pipeline.corpus.CorpusListing;
import org.sparkcnn.pipeline.corpus.SplitAssigner;
import org.sparkcnn.pipeline.storage.Storage;

import java.util.List;

/**
 * Where an ingest's images come from: a corpus of files ({@link #files}, the {@code ingest} verb), or the rows of a
 * DataFrame (the Spark ML API's {@code CnnClassifier}). A source lists its inputs on the driver, each with a label
 * and a seeded split, and decodes them on the executors; {@link IngestJob} does the rest (plan, shards, quarantine,
 * reconciled counts and the commit) the same way for every source.
 */
public interface IngestSource {
    /** The inputs, labelled and split on the driver ({@code corpus.uri} and {@code corpus.layout} of a file corpus). */
    CorpusListing list(Storage storage, SplitAssigner splits);

    /** One outcome per task, in task order, built on the executors with {@code builder}. */
    List<ShardOutcome> build(JavaSparkContext sc, List<ShardTask> tasks, ShardBuilder builder);

    /** The image files of a corpus, listed through {@link Storage} and read by the tasks. */
    static IngestSource files(String corpusUri, org.sparkcnn.pipeline.config.PipelineConfig.CorpusLayoutName layout) {
        return new IngestSource() {
            @Override
            public CorpusListing list(Storage storage, SplitAssigner splits) {
                return new org.sparkcnn.pipeline.corpus.CorpusLister(storage, splits).list(corpusUri, layout);
            }

            @Override
            public List<ShardOutcome> build(JavaSparkContext sc, List<ShardTask> tasks, ShardBuilder builder) {
                return tasks.isEmpty() ? List.of() : sc.parallelize(tasks, tasks.size()).map(builder::build).collect();
            }
        };
    }
}
