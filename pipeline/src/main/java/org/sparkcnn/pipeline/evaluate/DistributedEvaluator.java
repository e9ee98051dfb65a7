package org.sparkcnn.pipeline.evaluate;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.sparkcnn.pipeline.device.DeviceBinding;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.model.OutputLoss;

import java.util.ArrayList;
import java.util.List;

/**
 * Accuracy, top-N and loss in one distributed pass, with one forward pass per minibatch: the loss comes from the
 * output ({@link OutputLoss}) for softmax outputs, and only other output layers pay DL4J's second pass. The model travels as a serialised byte array, never as
 * a broadcast {@code INDArray}: Spark 3.5 closes {@link AutoCloseable} broadcast values when it cleans them
 * up, and in local mode (and on the driver of any cluster) that value is the live network's parameter
 * array. dl4j-spark 1.0.0-M2's {@code calculateScore} broadcasts exactly that and crashes the JVM a few
 * epochs later; this class replaces it.
 */
public final class DistributedEvaluator {
    private DistributedEvaluator() {}

    public static EvaluationPass evaluate(JavaSparkContext sc, Network network, JavaRDD<DataSet> data,
                                          List<String> labels, int topN) {
        Broadcast<byte[]> model = sc.broadcast(network.toBytes(false));
        try {
            List<EvaluationPass> parts = data.mapPartitions(batches -> {
                Evaluation evaluation = new Evaluation(labels, topN);
                double lossSum = 0;
                long examples = 0;
                if (batches.hasNext()) {
                    DeviceBinding.bindTask();
                    Network net = Network.read(model.value(), false);
                    OutputLoss loss = OutputLoss.of(net);
                    while (batches.hasNext()) {
                        DataSet batch = batches.next();
                        INDArray output = net.output(batch.getFeatures());
                        evaluation.eval(batch.getLabels(), output);
                        int n = batch.numExamples();
                        // one forward pass: the loss from the output when the output layer allows it
                        lossSum += loss != null ? loss.lossSum(net, output, batch.getLabels()) : net.score(batch) * n;
                        examples += n;
                    }
                }
                List<EvaluationPass> one = new ArrayList<>(1);
                one.add(new EvaluationPass(evaluation, lossSum, examples));
                return one.iterator();
            }).collect();
            EvaluationPass total = new EvaluationPass(new Evaluation(labels, topN), 0, 0);
            for (EvaluationPass p : parts) {
                total = total.merge(p);
            }
            return total;
        } finally {
            model.destroy();
        }
    }
}
