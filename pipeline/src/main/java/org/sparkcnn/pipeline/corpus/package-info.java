/**
 * Corpus: listing an image corpus on any Hadoop filesystem (names and sizes only, on the driver), its
 * layouts, class labels and the seeded split assignment. Contract: every listed file ends up either as a
 * {@link org.sparkcnn.pipeline.corpus.CorpusEntry} or as a
 * {@link org.sparkcnn.pipeline.corpus.QuarantineRecord}; nothing is dropped.
 */
package org.sparkcnn.pipeline.corpus;
