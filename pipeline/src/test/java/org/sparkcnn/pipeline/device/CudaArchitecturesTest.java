package org.sparkcnn.pipeline.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CudaArchitecturesTest {
    private static final CudaArchitectures ND4J = CudaArchitectures.ND4J_CUDA_11_6_M2_1;

    @ParameterizedTest(name = "compute {0}: {1}")
    @CsvSource({"9.0, false", "10.0, false", "8.9, true", "8.6, true", "8.0, true", "7.5, true", "7.0, true",
            "6.1, true", "5.3, true", "5.0, true", "3.7, true", "3.5, false", "3.0, false", "2.1, false"})
    void nd4jsCubinsRunOnTheirMajorAtOrAboveTheirMinorAndNothingCoversHopper(String capability, boolean runs) {
        assertEquals(runs, ND4J.runsOn(ComputeCapability.parse(capability)));
    }

    @Test
    void describesNd4jsBuildAsTheBinaryHoldsIt() {
        assertEquals("sm_37, sm_50, sm_52, sm_60, sm_61, sm_70, sm_75, sm_80, sm_86 and no PTX", ND4J.describe());
        assertEquals("3.7-3.9, 5.0-8.9", ND4J.runnableRange());
        assertEquals("V100, T4, A100, A10, L4", ND4J.exampleGpus());
    }

    @Test
    void ptxRunsOnEveryLaterCapability() {
        CudaArchitectures a = new CudaArchitectures(new TreeSet<>(List.of(86)), new TreeSet<>(Set.of(80)), 1, "t");
        assertEquals(true, a.runsOn(new ComputeCapability(9, 0)));
        assertEquals(false, a.runsOn(new ComputeCapability(7, 5)));
        assertEquals("8.0 and newer", a.runnableRange());
        assertEquals("A100, A10, L4, H100, B200", a.exampleGpus());
    }

    @ParameterizedTest
    @CsvSource({"9.0, 90", "8.6, 86", "10.0, 100", "12.1, 121"})
    void capabilitiesParseAsNvidiaSmiPrintsThem(String text, int sm) {
        assertEquals(sm, ComputeCapability.parse(text).sm());
        assertEquals(text, ComputeCapability.parse(text).toString());
    }

    @ParameterizedTest
    @CsvSource({"'[Not Supported]'", "'9'", "'9.'", "'.9'", "'9.0.1'", "'8.10'", "'N/A'", "''"})
    void anythingElseIsNotACapability(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ComputeCapability.parse(text));
        assertEquals(true, e.getMessage().contains("'" + text + "'"), e.getMessage());
    }
}
