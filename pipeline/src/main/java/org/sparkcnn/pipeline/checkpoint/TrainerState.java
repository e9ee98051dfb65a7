package org.sparkcnn.pipeline.checkpoint;

import org.sparkcnn.pipeline.metrics.EpochMetrics;
import org.sparkcnn.pipeline.metrics.RoundMetrics;

import java.util.List;

/**
 * What a checkpoint records beside the model: the last completed epoch, the metrics so far, the best epoch by
 * the monitored metric, the early-stopping counter and verdict, the wall time spent, and for a mid-epoch
 * checkpoint the averaging rounds of the next epoch already done ({@code roundsDone}), so a resumed run
 * continues exactly where it stopped. It also binds the checkpoint to what it was trained on and with:
 *
 * @param ingestHash  the {@link org.sparkcnn.pipeline.shards.ShardManifest#dataHash() data hash} of the ingest it
 *                    trained on; a checkpoint is not resumed, evaluated or used for predictions on another ingest
 * @param classes     the class names, in label order, of that ingest
 * @param workers     the number of averaging workers the run resolved ({@code train.workers = 0} takes it from the
 *                    cluster at the first start); the round layout depends on it, so a resume keeps it
 * @param modelSha256 SHA-256 of the checkpoint's {@code model.zip}, written before this record; a model file
 *                    that does not match it is refused before it is deserialised (null in older checkpoints)
 * @param modelBytes  the length of that {@code model.zip}
 */
public record TrainerState(String runId, int epoch, List<EpochMetrics> history, List<RoundMetrics> rounds,
                           int bestEpoch, double bestMetric,
                           int epochsWithoutImprovement, boolean stoppedEarly, double elapsedSeconds,
                           String configHash, String started, int roundsDone,
                           String ingestHash, List<String> classes, int workers,
                           String modelSha256, long modelBytes) {
    public TrainerState {
        history = List.copyOf(history);
        rounds = rounds == null ? List.of() : List.copyOf(rounds);
        classes = classes == null ? List.of() : List.copyOf(classes);
    }

    /** A run's first state, before any epoch. */
    public static TrainerState start(String runId, String configHash, String started, String ingestHash,
                                     List<String> classes, int workers) {
        return new TrainerState(runId, 0, List.of(), List.of(), 0, Double.NaN, 0, false, 0.0, configHash, started, 0,
                ingestHash, classes, workers, null, 0);
    }

    /** This state after further training: the binding (run, config, ingest, workers) carried over. */
    public TrainerState next(int epoch, List<EpochMetrics> history, List<RoundMetrics> rounds, int bestEpoch,
                             double bestMetric, int epochsWithoutImprovement, boolean stoppedEarly,
                             double elapsedSeconds, int roundsDone) {
        return new TrainerState(runId, epoch, history, rounds, bestEpoch, bestMetric, epochsWithoutImprovement,
                stoppedEarly, elapsedSeconds, configHash, started, roundsDone, ingestHash, classes, workers, null, 0);
    }

    /** This state as recorded beside a model file of that digest and length. */
    public TrainerState withModel(String sha256, long bytes) {
        return new TrainerState(runId, epoch, history, rounds, bestEpoch, bestMetric, epochsWithoutImprovement,
                stoppedEarly, elapsedSeconds, configHash, started, roundsDone, ingestHash, classes, workers, sha256,
                bytes);
    }
}
