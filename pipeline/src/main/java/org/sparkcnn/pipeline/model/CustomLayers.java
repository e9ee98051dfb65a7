package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.activations.Activation;
import org.sparkcnn.pipeline.config.PipelineConfig.LayerSpec;

import java.util.Locale;

/** Builds one DL4J layer from a {@code model.layers} entry, with Keras' meanings (dropout {@code rate} = fraction dropped). */
final class CustomLayers {
    private CustomLayers() {}

    static Layer build(LayerSpec spec) {
        ConvolutionMode mode = spec.padding().equals("same") ? ConvolutionMode.Same : ConvolutionMode.Truncate;
        return switch (spec.type()) {
            case "conv" -> new ConvolutionLayer.Builder(spec.kernel(), spec.kernel()).stride(spec.stride(), spec.stride())
                    .convolutionMode(mode).nOut(spec.filters()).activation(activation(spec)).build();
            case "pool" -> new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(spec.size(), spec.size())
                    .stride(spec.size(), spec.size()).convolutionMode(mode).build();
            case "dropout" -> new DropoutLayer(1.0 - spec.rate());
            case "batch-norm" -> new BatchNormalization.Builder().build();
            case "dense" -> new DenseLayer.Builder().nOut(spec.units()).activation(activation(spec)).build();
            default -> throw new IllegalArgumentException("layer type " + spec.type());
        };
    }

    private static Activation activation(LayerSpec spec) {
        return Activation.valueOf(spec.activation().toUpperCase(Locale.ROOT));
    }
}
