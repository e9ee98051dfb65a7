package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A network's loss on a minibatch computed from the output it already produced, so evaluation scores a minibatch
 * with one forward pass ({@link Network#output}) instead of two ({@code output}, then DL4J's {@code score}, which
 * runs the whole network again).
 *
 * <p>It applies when the single output layer's activation is softmax (every network of ours and of the zoo): then
 * {@code log(p)} is a valid pre-activation for {@code p} (softmax(log p) = p), so the output layer's own loss
 * function, given {@code log(p)} and the softmax, computes the same loss DL4J's {@code score} does, to float
 * rounding; the regularisation term is added as {@code score} adds it. Otherwise {@link #of} is empty and callers use
 * {@link Network#score}. {@code OutputLossTest} holds it equal to {@code score} on our networks.
 */
public final class OutputLoss {
    private final ILossFunction loss;
    private final IActivation activation;

    private OutputLoss(ILossFunction loss, IActivation activation) {
        this.loss = loss;
        this.activation = activation;
    }

    /** The loss of {@code network}'s output layer when it can be computed from the output, else null. */
    public static OutputLoss of(Network network) {
        Layer layer;
        if (network.isGraph()) {
            ComputationGraph graph = network.graph();
            if (graph.getNumOutputArrays() != 1) {
                return null;
            }
            layer = graph.getOutputLayer(0);
        } else {
            layer = network.multiLayer().getOutputLayer();
        }
        if (layer instanceof FrozenLayerWithBackprop frozen) {
            layer = frozen.getInsideLayer();
        }
        if (!(layer.conf().getLayer() instanceof BaseOutputLayer conf)
                || !(conf.getActivationFn() instanceof ActivationSoftmax) || conf.getLossFn() == null) {
            return null;
        }
        return new OutputLoss(conf.getLossFn(), conf.getActivationFn());
    }

    /**
     * The sum over the minibatch's examples of their loss, regularisation included: {@code n x score(batch)} for a
     * minibatch of {@code n}, from {@code output} (the softmax probabilities) and the one-hot {@code labels}.
     */
    public double lossSum(Network network, INDArray output, INDArray labels) {
        INDArray preOutput = Transforms.log(output, true);
        double data = loss.computeScore(labels, preOutput, activation, null, false);
        return data + network.regularizationScore() * output.size(0);
    }
}
