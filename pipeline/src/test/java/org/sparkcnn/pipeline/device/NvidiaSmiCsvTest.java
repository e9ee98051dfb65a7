package org.sparkcnn.pipeline.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NvidiaSmiCsvTest {
    private static final long MIB = 1L << 20;

    @Test
    void readsEachGpusIndexNameCapabilityAndMemory() {
        assertEquals(List.of(new GpuInfo(0, "NVIDIA H200", new ComputeCapability(9, 0), 143771 * MIB, 143252 * MIB)),
                NvidiaSmiCsv.parse(NvidiaSmiLines.H200, true));
        List<GpuInfo> a100 = NvidiaSmiCsv.parse(NvidiaSmiLines.TWO_A100, true);
        assertEquals(2, a100.size());
        assertEquals(new GpuInfo(1, "NVIDIA A100-SXM4-40GB", new ComputeCapability(8, 0), 40960 * MIB, 40337 * MIB),
                a100.get(1));
        assertEquals(new GpuInfo(0, "Tesla T4", new ComputeCapability(7, 5), 15360 * MIB, 1210 * MIB),
                NvidiaSmiCsv.parse(NvidiaSmiLines.T4_BUSY, true).get(0));
    }

    @Test
    void fieldsTheDriverCannotReportAreUnknown() {
        assertEquals(List.of(new GpuInfo(0, "Tesla V100-SXM2-16GB", null, 16160 * MIB, 15862 * MIB)),
                NvidiaSmiCsv.parse(NvidiaSmiLines.OLD_DRIVER_V100, false));
        assertEquals(List.of(new GpuInfo(0, "GRID T4-16Q", null, 16384 * MIB, -1)),
                NvidiaSmiCsv.parse(NvidiaSmiLines.NOT_SUPPORTED, true));
    }

    @Test
    void aNameWithCommasKeepsThemAndBlankLinesAreSkipped() {
        assertEquals("Quadro RTX 8000, rev B", NvidiaSmiCsv.parse("\n3, Quadro RTX 8000, rev B, 7.5, 48601, 48000\n\n",
                true).get(0).name());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0, NVIDIA H200, 9.0, 143771 | has 4 fields, not the 5 asked for",
            "x, NVIDIA H200, 9.0, 143771, 143252 | index 'x' is not a GPU number",
            "0, NVIDIA H200, 9.0.1, 143771, 143252 | compute_cap '9.0.1' is not a compute capability",
            "0, NVIDIA H200, 9.0, 143771 MiB, 143252 | memory.total '143771 MiB' is not a size in MiB",
            "0, NVIDIA H200, 9.0, 143771, 99999999999 | memory.free '99999999999' is not a size in MiB",
            "0, NVIDIA H200, 9.0, 143771, -5 | memory.free '-5' is not a size in MiB"})
    void anythingElseIsRefusedNamingTheLineAndField(String line, String reason) {
        String m = assertThrows(IllegalArgumentException.class, () -> NvidiaSmiCsv.parse(line, true)).getMessage();
        assertTrue(m.startsWith("nvidia-smi line '" + line + "'") && m.contains(reason), m);
    }

    @Test
    void moreLinesThanAHostHasGpusAreNotAGpuList() {
        String flood = "0, G, 8.0, 1, 1\n".repeat(257);
        assertEquals("nvidia-smi printed more than 256 lines", assertThrows(IllegalArgumentException.class,
                () -> NvidiaSmiCsv.parse(flood, true)).getMessage());
    }
}
