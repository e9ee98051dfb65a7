package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's pooling layer, whose forward pass also takes {@link OneDnnPoolingHelper}'s choice: DL4J 1.0.0-M2.1's
 * {@code SubsamplingLayer.activate} never asks its helper, so without this the forward max pooling over maps wider than
 * {@link OneDnnPoolingHelper#ONE_DNN_MAX_SIDE} stays on oneDNN's slow path (154 ms of a 692 ms food101 step at
 * 200x200, one thread, minibatch 16). It replaces the plain max-pooling layers of a MultiLayerNetwork
 * ({@link #replaceIn}); the configuration, parameters (none) and saved model are DL4J's own.
 * {@code OneDnnHelpersTest} holds outputs and gradients equal to DL4J's layer.
 */
final class SizedPoolingLayer extends SubsamplingLayer {

    private SizedPoolingLayer(SubsamplingLayer original, DataType dataType) {
        super(original.conf(), dataType);
        setIndex(original.getIndex());
        setListeners(original.getListeners());
        helper = original.getHelper() instanceof OneDnnPoolingHelper h ? h : null;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        INDArray in = input.castTo(dataType);
        if (in.rank() != 4 || !OneDnnPoolingHelper.plainKernel(in, layerConf().getPoolingType())) {
            return super.activate(training, workspaceMgr);
        }
        return OneDnnPoolingHelper.plainForward(in, layerConf().getKernelSize(), layerConf().getStride(),
                layerConf().getPadding(), layerConf().getDilation(), convolutionMode == ConvolutionMode.Same,
                workspaceMgr);
    }

    /**
     * Replaces every max-pooling layer of {@code net} that has a {@link OneDnnPoolingHelper} (an exact
     * {@code SubsamplingLayer}, not inside a frozen wrapper) with one of these; returns how many.
     */
    static int replaceIn(MultiLayerNetwork net) {
        Layer[] layers = net.getLayers();
        int replaced = 0;
        for (int i = 0; i < layers.length; i++) {
            if (layers[i].getClass() == SubsamplingLayer.class
                    && ((SubsamplingLayer) layers[i]).getHelper() instanceof OneDnnPoolingHelper) {
                SizedPoolingLayer sized = new SizedPoolingLayer((SubsamplingLayer) layers[i],
                        net.getLayerWiseConfigurations().getDataType());
                LayerSwap.replace(net, i, sized);
                replaced++;
            }
        }
        return replaced;
    }
}
