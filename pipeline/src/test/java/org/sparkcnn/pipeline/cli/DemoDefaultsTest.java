package org.sparkcnn.pipeline.cli;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.config.PipelineConfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** `bin/pipeline demo` alone trains the demo exactly as README's `bin/pipeline demo --conf conf/demo.conf` does. */
class DemoDefaultsTest {

    static PipelineConfig load(String... args) {
        return PipelineCli.loadConfig(CommandLineParser.parse(args));
    }

    @Test
    void theDemoVerbCarriesConfDemoConfAsItsDefaults() {
        PipelineConfig alone = load("demo", "--run-id", "d");
        PipelineConfig withConf = load("demo", "--run-id", "d", "--conf", "../conf/demo.conf");
        assertEquals(withConf.train(), alone.train());
        assertEquals(withConf.image(), alone.image());
        assertEquals(withConf.split(), alone.split());
        assertEquals(withConf.model(), alone.model());
        assertEquals(withConf.demo(), alone.demo());
        assertEquals(withConf.resolvedHocon(), alone.resolvedHocon(), "the recorded configuration is the one that ran");
        assertEquals(32, alone.image().height());
        assertEquals(15, alone.train().epochs());
    }

    @Test
    void settingsStillWinOverTheDemoDefaultsAndOtherVerbsKeepTheGenericOnes() {
        assertEquals(3, load("demo", "--run-id", "d", "--set", "train.epochs=3").train().epochs());
        PipelineConfig train = load("train", "--run-id", "d");
        assertNotEquals(32, train.image().height(), "train keeps reference.conf's defaults");
    }
}
