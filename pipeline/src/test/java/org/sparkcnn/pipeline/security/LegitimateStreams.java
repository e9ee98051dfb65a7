package org.sparkcnn.pipeline.security;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.CompositeDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.CropAndResizeDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerMinMaxScaler;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.dataset.api.preprocessor.PermuteDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.RGBtoGrayscaleDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.VGG16ImagePreProcessor;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedList;
import java.util.List;

/** What DL4J and ND4J legitimately Java-serialise into the files we read: the allow-list's evidence. */
final class LegitimateStreams {
    private LegitimateStreams() {}

    /** ND4J's image and normalising DataSetPreProcessors, fitted where they fit: a legacy preprocessor.bin's content. */
    static List<DataSetPreProcessor> preprocessors() {
        DataSet images = new DataSet(Nd4j.rand(8, 3, 4, 4), Nd4j.rand(8, 2));
        NormalizerStandardize standardize = new NormalizerStandardize();
        standardize.fit(images);
        NormalizerStandardize withLabels = new NormalizerStandardize();
        withLabels.fitLabel(true);
        withLabels.fit(images);
        NormalizerMinMaxScaler minMax = new NormalizerMinMaxScaler();
        minMax.fit(images);
        return List.of(new ImagePreProcessingScaler(0, 1), new ImagePreProcessingScaler(-1, 1, 16), standardize,
                withLabels, minMax, new VGG16ImagePreProcessor(),
                new CompositeDataSetPreProcessor(new ImagePreProcessingScaler(), standardize),
                new PermuteDataSetPreProcessor(PermuteDataSetPreProcessor.PermutationTypes.NCHWtoNHWC),
                new RGBtoGrayscaleDataSetPreProcessor(),
                new CropAndResizeDataSetPreProcessor(4, 4, 0, 0, 2, 2, 3,
                        CropAndResizeDataSetPreProcessor.ResizeMethod.NearestNeighbor));
    }

    /** Label names (DataSet.setLabelNames) in the list forms callers pass. */
    static List<List<String>> labelNames() {
        return List.of(new ArrayList<>(List.of("cat", "dog")), List.of("a", "b", "c"), List.of("a"),
                Arrays.asList("p", "q"), new LinkedList<>(List.of("x")), Collections.emptyList(),
                Collections.singletonList("s"), Collections.unmodifiableList(new ArrayList<>(List.of("u"))),
                Collections.unmodifiableList(new LinkedList<>(List.of("v"))));
    }
}
