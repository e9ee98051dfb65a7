package org.sparkcnn.pipeline.train;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.config.BuildLine;
import org.sparkcnn.pipeline.config.PipelineConfig.Trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainers registered in this build are the ones {@link BuildLine} tells config validation about. */
class TrainersTest {
    @Test
    void theBuildRegistersDl4jSparksTrainerExactlyWhenItsLineSaysItHasIt() {
        assertEquals(BuildLine.current().dl4jSparkTrainer(), Trainers.provider(Trainer.DL4J_SPARK).isPresent(),
                BuildLine.current().describe());
        assertTrue(Trainers.provider(Trainer.SPARK_AVERAGING).isEmpty(), "ours is built in, not a provider");
        for (Trainer t : Trainer.values()) {
            assertEquals(t == Trainer.SPARK_AVERAGING || Trainers.provider(t).isPresent(), BuildLine.current().has(t),
                    t.name());
        }
    }
}
