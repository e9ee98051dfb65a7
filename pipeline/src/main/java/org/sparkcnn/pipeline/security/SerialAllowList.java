package org.sparkcnn.pipeline.security;

import java.io.ObjectInputFilter;
import java.util.Set;

/**
 * The classes, and the limits, that Java deserialisation of stored data may meet inside a guarded read; anything else
 * is refused. Derived from what DL4J 1.0.0-M2.1 and ND4J actually read with an {@link java.io.ObjectInputStream} on
 * our read paths (the test {@code SerialAllowListDerivationTest} writes each one and records the classes the stream
 * resolves), not from guesses:
 *
 * <ul>
 *   <li>{@code ModelSerializer.restoreMultiLayerNetwork/restoreComputationGraph(InputStream, boolean)} read the zip
 *       entry {@code preprocessor.bin}, when present, as one {@code DataSetPreProcessor} (DL4J casts it and then
 *       discards it; 1.0.0-M2.1 never writes it, older DL4J versions did). {@code normalizer.bin},
 *       {@code coefficients.bin} and {@code updaterState.bin} are not Java-serialised.</li>
 *   <li>ND4J's {@code DataSet.load} reads the example metadata and the label names of a DataSet file as Java objects.
 *       Our shards hold neither (ingest writes features and labels only), but the shard codec hands any other
 *       DataSet file to {@code DataSet.load}.</li>
 * </ul>
 *
 * <p>Nothing on the list calls {@code hashCode}, {@code equals} or {@code compareTo} on deserialised elements, or
 * any method of an object of a class not on the list, so the usual gadget chains (a {@code HashMap}, {@code
 * PriorityQueue} or {@code BadAttributeValueExpException} triggering commons-collections, URLDNS and the like) have
 * no entry point. Shaded third-party packages ({@code org.nd4j.shade.*}: Jackson, Guava, protobuf) are refused: none
 * of the legitimate streams contains one. Primitive boxes are not needed (the preprocessors keep primitive fields;
 * {@code String} is not a class check in a stream) and are refused. DataVec's example metadata
 * ({@code RecordMetaData*}) is refused: our shards never hold it, and its classes carry reader {@code Class} objects
 * and URIs that an allow-list cannot bound.
 */
public final class SerialAllowList {
    /** Nesting depth: 6 is the deepest seen (a composite preprocessor holding a normaliser and its statistics). */
    public static final long MAX_DEPTH = 20;
    /** Object references: 20 seen for a normaliser; a label-name list adds one per class. */
    public static final long MAX_REFERENCES = 10_000;
    /** Array length: shapes have at most 32 entries; a label-name list's backing array has one per class. */
    public static final long MAX_ARRAY_LENGTH = 100_000;
    /** Stream bytes: a fitted normaliser of a few thousand features is kilobytes. */
    public static final long MAX_STREAM_BYTES = 64L << 20;

    private static final String PREPROCESSOR = "org.nd4j.linalg.dataset.api.preprocessor.";

    /** Why each entry is here: see the comment above its group. */
    private static final Set<String> CLASSES = Set.of(
            // ND4J's image and normalising DataSetPreProcessors: what a legacy preprocessor.bin holds (DL4J casts it
            // to DataSetPreProcessor). Each round-trips through a stream in the derivation test.
            PREPROCESSOR + "ImagePreProcessingScaler",
            PREPROCESSOR + "NormalizerStandardize",
            PREPROCESSOR + "NormalizerMinMaxScaler",
            PREPROCESSOR + "VGG16ImagePreProcessor",
            PREPROCESSOR + "CompositeDataSetPreProcessor",
            PREPROCESSOR + "PermuteDataSetPreProcessor",
            PREPROCESSOR + "RGBtoGrayscaleDataSetPreProcessor",
            PREPROCESSOR + "CropAndResizeDataSetPreProcessor",
            // Their serialised state: the normalisers' superclasses, strategies and statistics, the enum
            // PermuteDataSetPreProcessor holds, and the element type of CompositeDataSetPreProcessor's array.
            PREPROCESSOR + "AbstractDataSetNormalizer",
            PREPROCESSOR + "AbstractNormalizer",
            PREPROCESSOR + "StandardizeStrategy",
            PREPROCESSOR + "MinMaxStrategy",
            PREPROCESSOR + "stats.DistributionStats",
            PREPROCESSOR + "stats.MinMaxStats",
            PREPROCESSOR + "PermuteDataSetPreProcessor$PermutationTypes",
            "org.nd4j.linalg.dataset.api.DataSetPreProcessor",
            // INDArrays inside them: serialised as ND4J's proxy (shape as a long[], data as block data); the JDK also
            // checks the class readResolve returns, the backend's array class: CPU, and CUDA for the cuda profile.
            "org.nd4j.linalg.api.ndarray.BaseNDArrayProxy",
            "org.nd4j.linalg.cpu.nativecpu.NDArray",
            "org.nd4j.linalg.jcublas.JCublasNDArray",
            // Every enum's stream names java.lang.Enum as its superclass.
            "java.lang.Enum",
            // Label names (DataSet.load): a List<String> in the forms DataSet.setLabelNames callers pass. CollSer is
            // the JDK's serial form of List.of(...); its readResolve result (ListN, List12) is checked too.
            "java.util.ArrayList",
            "java.util.LinkedList",
            "java.util.Arrays$ArrayList",
            "java.util.CollSer",
            "java.util.ImmutableCollections$ListN",
            "java.util.ImmutableCollections$List12",
            "java.util.Collections$EmptyList",
            "java.util.Collections$SingletonList",
            "java.util.Collections$UnmodifiableCollection",
            "java.util.Collections$UnmodifiableList",
            "java.util.Collections$UnmodifiableRandomAccessList");

    private SerialAllowList() {}

    /**
     * Whether a stream may resolve {@code type}: a listed class, or an array of primitives, of {@code Object} (the JDK
     * checks an {@code Object[]} when a list allocates its backing array; each element is checked on its own), of
     * {@code String} or of a listed class.
     */
    public static boolean allows(Class<?> type) {
        Class<?> element = type;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        if (element != type) {
            return element.isPrimitive() || element == Object.class || element == String.class
                    || CLASSES.contains(element.getName());
        }
        return CLASSES.contains(type.getName());
    }

    /** The limit {@code info} exceeds, as a phrase for the user ("nesting depth 21 (at most 20)"), or null. */
    public static String limitExceeded(ObjectInputFilter.FilterInfo info) {
        if (info.depth() > MAX_DEPTH) {
            return "nesting depth " + info.depth() + " (at most " + MAX_DEPTH + ")";
        }
        if (info.references() > MAX_REFERENCES) {
            return info.references() + " object references (at most " + MAX_REFERENCES + ")";
        }
        if (info.arrayLength() > MAX_ARRAY_LENGTH) {
            return "an array of length " + info.arrayLength() + " (at most " + MAX_ARRAY_LENGTH + ")";
        }
        if (info.streamBytes() > MAX_STREAM_BYTES) {
            return info.streamBytes() + " bytes of serialised data (at most " + MAX_STREAM_BYTES + ")";
        }
        return null;
    }

    /** The listed class names (for tests and messages). */
    static Set<String> classNames() {
        return CLASSES;
    }
}
