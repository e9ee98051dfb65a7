package org.sparkcnn.pipeline.model;

import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.AdamUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.sparkcnn.pipeline.kernel.AdamKernel;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * DL4J's Adam updater with the step computed by {@link AdamKernel} in Java where libnd4j runs a scalar loop (5.3 ns
 * a parameter on one thread; the kernel, compiled by C2, about 1.4): ResNet-50's 23.5 M parameters in about 33 ms a
 * step, where libnd4j took 125. Same state arrays ({@code M}, {@code V}: the network's updater state view), same
 * arithmetic in float, so checkpoints, averaging and DL4J's own updater see nothing different
 * ({@code JavaAdamUpdaterTest} compares it with DL4J's over several steps). Arrays it cannot read as one run of
 * floats in memory (another data type, a strided view) take DL4J's own path.
 */
final class JavaAdamUpdater extends AdamUpdater {
    JavaAdamUpdater(AdamUpdater original) {
        super(original.getConfig());
        setM(original.getM());
        setV(original.getV());
        setGradientReshapeOrder(original.getGradientReshapeOrder());
    }

    /** Puts a Java Adam in place of DL4J's in every block that has DL4J's own; returns how many. */
    static int installInto(List<UpdaterBlock> blocks) {
        int installed = 0;
        for (UpdaterBlock block : blocks) {
            if (block.getGradientUpdater() != null && block.getGradientUpdater().getClass() == AdamUpdater.class) {
                block.setGradientUpdater(new JavaAdamUpdater((AdamUpdater) block.getGradientUpdater()));
                installed++;
            }
        }
        return installed;
    }

    @Override
    public void applyUpdater(INDArray gradient, int iteration, int epoch) {
        INDArray m = getM();
        INDArray v = getV();
        FloatBuffer g = NativeFloats.of(gradient);
        FloatBuffer mb = m == null ? null : NativeFloats.of(m);
        FloatBuffer vb = v == null ? null : NativeFloats.of(v);
        if (g == null || mb == null || vb == null || m.length() != gradient.length() || v.length() != gradient.length()
                || m.ordering() != gradient.ordering() || v.ordering() != gradient.ordering()) {
            super.applyUpdater(gradient, iteration, epoch);
            return;
        }
        Adam config = getConfig();
        float alpha = AdamKernel.stepSize(config.getLearningRate(iteration, epoch), config.getBeta1(),
                config.getBeta2(), config.getEpsilon(), iteration);
        AdamKernel.step(g, mb, vb, alpha, (float) config.getBeta1(), (float) config.getBeta2(),
                (float) config.getEpsilon());
    }
}
