package org.sparkcnn.pipeline.train;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig.TrainConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LearningRateScheduleTest {

    private static TrainConfig train(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides)).train();
    }

    @Test
    void scalingMultipliesTheBaseRateByTheWorkersOrTheirSquareRoot() {
        assertEquals(0.001, LearningRateSchedule.scaled(train(), 0.001, 4), 1e-15, "default none");
        assertEquals(0.004, LearningRateSchedule.scaled(train("train.lr-scaling=linear"), 0.001, 4), 1e-15);
        assertEquals(0.002, LearningRateSchedule.scaled(train("train.lr-scaling=sqrt"), 0.001, 4), 1e-15);
        TrainConfig warm = train("train.lr-scaling=linear", "train.warmup-epochs=2");
        assertEquals(0.001, LearningRateSchedule.at(warm, LearningRateSchedule.scaled(warm, 0.001, 2), 1), 1e-15,
                "warm-up starts from the scaled rate's first step");
        assertEquals(0.002, LearningRateSchedule.at(warm, LearningRateSchedule.scaled(warm, 0.001, 2), 3), 1e-15);
    }

    @Test
    void noneIsConstant() {
        TrainConfig t = train("train.learning-rate=0.01");
        for (int e = 1; e <= 10; e++) {
            assertEquals(0.01, LearningRateSchedule.at(t, e), 1e-15);
        }
    }

    @Test
    void stepMultipliesEveryNEpochs() {
        TrainConfig t = train("train.learning-rate=0.1", "train.lr-schedule=step", "train.lr-decay=0.5", "train.lr-step-epochs=2");
        assertEquals(0.1, LearningRateSchedule.at(t, 1), 1e-15);
        assertEquals(0.1, LearningRateSchedule.at(t, 2), 1e-15);
        assertEquals(0.05, LearningRateSchedule.at(t, 3), 1e-15);
        assertEquals(0.025, LearningRateSchedule.at(t, 5), 1e-15);
    }

    @Test
    void exponentialAndCosine() {
        TrainConfig exp = train("train.learning-rate=1", "train.lr-schedule=exponential", "train.lr-decay=0.9");
        assertEquals(0.81, LearningRateSchedule.at(exp, 3), 1e-12);
        TrainConfig cos = train("train.learning-rate=1", "train.lr-schedule=cosine", "train.epochs=5");
        assertEquals(1.0, LearningRateSchedule.at(cos, 1), 1e-12);
        assertEquals(0.5 * (1 + Math.cos(Math.PI * 2 / 5)), LearningRateSchedule.at(cos, 3), 1e-12);
    }

    @Test
    void warmUpRampsLinearlyThenTheScheduleStarts() {
        TrainConfig t = train("train.learning-rate=0.4", "train.warmup-epochs=4", "train.lr-schedule=step",
                "train.lr-decay=0.5", "train.lr-step-epochs=1");
        assertEquals(0.1, LearningRateSchedule.at(t, 1), 1e-15);
        assertEquals(0.4, LearningRateSchedule.at(t, 4), 1e-15);
        assertEquals(0.4, LearningRateSchedule.at(t, 5), 1e-15);
        assertEquals(0.2, LearningRateSchedule.at(t, 6), 1e-15);
    }
}
