package org.sparkcnn.pipeline.input;

import org.apache.spark.util.KnownSizeEstimation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.Serializable;

/**
 * A training minibatch as it crosses the epoch's shuffle: the shard's stored examples (8-bit pixels, a quarter of
 * the bytes of the float input) with their stable example ids, picked and ordered for the epoch but not yet
 * augmented; the worker that fits it finishes it ({@link IndexedMinibatches#finisher()}). A minibatch that is
 * already final (an API caller's RDD) travels with no ids. A plain class, not a record, so Spark's Kryo writes its
 * arrays through {@code NdArrayKryoSerializer} (records go through Java serialisation).
 * <p>
 * Its size for Spark's memory accounting (the shuffle's sorter, caches) is its arrays' bytes
 * ({@link #estimatedSize()}): Spark's reflective {@code SizeEstimator} would otherwise walk each ND4J array's
 * object graph, into JavaCPP's list of every live native pointer in the JVM, on every size sample of the sorter.
 */
public final class PendingMinibatch implements Serializable, KnownSizeEstimation {
    private static final long serialVersionUID = 1L;

    private final DataSet examples;
    private final long[] exampleIds;

    private PendingMinibatch(DataSet examples, long[] exampleIds) {
        this.examples = examples;
        this.exampleIds = exampleIds;
    }

    /** Stored examples still to be augmented, one id per example in order. */
    public static PendingMinibatch of(DataSet examples, long[] exampleIds) {
        if (exampleIds.length != examples.numExamples()) {
            throw new IllegalArgumentException(exampleIds.length + " example ids for " + examples.numExamples() + " examples");
        }
        return new PendingMinibatch(examples, exampleIds);
    }

    /** A minibatch that is already the network's input. */
    public static PendingMinibatch finished(DataSet minibatch) {
        return new PendingMinibatch(minibatch, null);
    }

    public DataSet examples() {
        return examples;
    }

    /** The examples' ids, or null for a finished minibatch. */
    public long[] exampleIds() {
        return exampleIds;
    }

    public boolean isFinished() {
        return exampleIds == null;
    }

    /** The bytes of its arrays (held off-heap by ND4J) and ids, plus a little for the objects around them. */
    @Override
    public long estimatedSize() {
        long bytes = 256 + (exampleIds == null ? 0 : 16 + 8L * exampleIds.length);
        for (INDArray a : new INDArray[] {examples.getFeatures(), examples.getLabels(), examples.getFeaturesMaskArray(),
                examples.getLabelsMaskArray()}) {
            if (a != null) {
                bytes += 128 + a.length() * a.dataType().width();
            }
        }
        return bytes;
    }
}
