package org.sparkcnn.pipeline.spark;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalMasterTest {

    @ParameterizedTest
    @CsvSource({"local, 1", "'local[2]', 2", "'local[16]', 16", "'local[2,3]', 2", "'local[ 4 , 2 ]', 4"})
    void inDriverMastersRunTheirThreadCount(String master, int threads) {
        assertTrue(LocalMaster.inDriverJvm(master));
        assertEquals(OptionalInt.of(threads), LocalMaster.threads(master));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local[*]", "local[*,2]"})
    void aStarMeansThisMachinesProcessors(String master) {
        assertEquals(OptionalInt.of(Runtime.getRuntime().availableProcessors()), LocalMaster.threads(master));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local-cluster[2,1,1024]", "yarn", "spark://host:7077", "k8s://https://k:443", "localhost",
            "local[two]"})
    void mastersWithExecutorJvmsAreNotInTheDriver(String master) {
        assertFalse(LocalMaster.inDriverJvm(master));
        assertTrue(LocalMaster.threads(master).isEmpty());
    }
}
