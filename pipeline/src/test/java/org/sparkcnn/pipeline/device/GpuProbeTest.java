package org.sparkcnn.pipeline.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GpuProbe running executable stand-ins for nvidia-smi that print what real drivers print. */
class GpuProbeTest {
    private static final String QUERY = "--query-gpu=" + NvidiaSmiCsv.FIELDS;
    private static final String OLD_QUERY = "--query-gpu=" + NvidiaSmiCsv.FIELDS_WITHOUT_CAPABILITY;

    @TempDir
    Path dir;

    /** No libraries anywhere: these tests are about nvidia-smi. */
    private final CudaLibraries nowhere = new CudaLibraries(List.of(), "", List.of(), null);

    /** An nvidia-smi that prints {@code output} and exits with {@code status} for exactly the probe's query. */
    private Path nvidiaSmi(String query, String output, int status) throws IOException {
        return script("if [ \"$1\" = '" + query + "' ] && [ \"$2\" = '--format=csv,noheader,nounits' ] && [ $# = 2 ]; "
                + "then printf '%s' '" + output.replace("'", "'\\''") + "'; exit " + status + "; fi\n"
                + "echo \"unexpected arguments: $*\"; exit 99\n");
    }

    private Path script(String body) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    private ProbeResult probe(Path bin) {
        return new GpuProbe("nvidia-smi", "/nonexistent:" + bin, nowhere, Duration.ofSeconds(2)).probe();
    }

    @Test
    void listsTheGpusNvidiaSmiReports() throws IOException {
        ProbeResult r = probe(nvidiaSmi(QUERY, NvidiaSmiLines.TWO_A100, 0));
        assertEquals("", r.driverProblem());
        assertEquals(2, r.gpus().size());
        assertEquals("8.0", r.gpus().get(1).computeCapability().toString());
    }

    @Test
    void aDriverWithoutComputeCapIsAskedAgainWithoutIt() throws IOException {
        Path bin = script("case \"$1\" in\n"
                + "  *compute_cap*) printf '" + NvidiaSmiLines.OLD_DRIVER_ERROR.replace("\n", "\\n") + "'; exit 2;;\n"
                + "  " + OLD_QUERY + ") printf '" + NvidiaSmiLines.OLD_DRIVER_V100.replace("\n", "\\n") + "'; exit 0;;\n"
                + "esac\nexit 99\n");
        ProbeResult r = probe(bin);
        assertEquals("", r.driverProblem());
        assertEquals("Tesla V100-SXM2-16GB", r.gpus().get(0).name());
        assertNull(r.gpus().get(0).computeCapability());
    }

    @Test
    void withoutNvidiaSmiThereIsNoDriver() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        ProbeResult r = new GpuProbe("nvidia-smi", empty.toString(), nowhere).probe();
        assertEquals("no NVIDIA driver found (nvidia-smi not on PATH)", r.driverProblem());
        assertTrue(r.gpus().isEmpty());
        Path absent = dir.resolve("usr/bin/nvidia-smi");
        assertEquals("no NVIDIA driver found (" + absent + " is not an executable file)",
                new GpuProbe(absent.toString(), null, nowhere).probe().driverProblem());
    }

    @Test
    void aDriverThatIsNotLoadedIsReportedWithNvidiaSmisWords() throws IOException {
        Path bin = nvidiaSmi(QUERY, NvidiaSmiLines.NO_DRIVER, 9);
        assertEquals(bin.resolve("nvidia-smi") + " failed (exit 9): NVIDIA-SMI has failed because it couldn't "
                + "communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.",
                probe(bin).driverProblem());
    }

    @Test
    void aHostWithoutGpusListsNone() throws IOException {
        ProbeResult r = probe(nvidiaSmi(QUERY, NvidiaSmiLines.NO_DEVICES, 6));
        assertEquals("", r.driverProblem());
        assertTrue(r.gpus().isEmpty());
    }

    @Test
    void aHungNvidiaSmiIsKilledAtTheLimit() throws IOException {
        Path bin = script("exec sleep 30\n");
        long start = System.nanoTime();
        assertEquals(bin.resolve("nvidia-smi") + " did not answer within 2 s (a hung driver?)", probe(bin).driverProblem());
        assertTrue(System.nanoTime() - start < 15e9, "killed at the limit, not waited for");
    }

    @Test
    void floodsAndGarbageAreNotAGpuList() throws IOException {
        Path flood = script("yes '0, G, 8.0, 1, 1' | head -c 1000000\n");
        assertEquals(flood.resolve("nvidia-smi") + " printed more than 64 KiB: not a GPU list",
                probe(flood).driverProblem());
        Path garbage = nvidiaSmi(QUERY, "<html>proxy error</html>\n", 0);
        assertEquals(garbage.resolve("nvidia-smi") + " printed something this probe cannot read: nvidia-smi line "
                + "'<html>proxy error</html>' has 1 fields, not the 5 asked for (" + NvidiaSmiCsv.FIELDS + ")",
                probe(garbage).driverProblem());
    }
}
