package org.sparkcnn.pipeline.corpus;

import java.io.Serializable;

/**
 * One image file of the corpus, labelled and assigned to a split on the driver.
 *
 * @param uri          absolute URI of the file
 * @param relativePath path below the corpus root, '/'-separated (the split hash key)
 * @param label        class index into the listing's class names
 * @param sizeBytes    file length from the listing
 */
public record CorpusEntry(String uri, String relativePath, int label, Split split, long sizeBytes)
        implements Serializable {}
