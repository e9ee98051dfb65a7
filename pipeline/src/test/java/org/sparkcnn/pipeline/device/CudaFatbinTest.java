package org.sparkcnn.pipeline.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.sparkcnn.pipeline.device.CraftedElf.concat;
import static org.sparkcnn.pipeline.device.CraftedElf.container;
import static org.sparkcnn.pipeline.device.CraftedElf.elf;
import static org.sparkcnn.pipeline.device.CraftedElf.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaFatbinTest {
    @TempDir
    Path dir;

    private static final byte[] CUBIN_86_PTX_80 = elf(CudaFatbin.SECTION, container(
            entry(CudaFatbin.KIND_CUBIN, 86, new byte[24]),
            entry(CudaFatbin.KIND_PTX, 80, ".version 7.6\n.target sm_80\n\0\0\0\0".getBytes())));

    @Test
    void readsTheCubinAndPtxArchitecturesOfEveryEntry() throws IOException {
        CudaArchitectures a = CudaFatbin.read(write("lib.so", CUBIN_86_PTX_80));
        assertEquals(Set.of(86), a.cubin());
        assertEquals(Set.of(80), a.ptx());
        assertEquals(1, a.fatbins());
        assertEquals("sm_86 and PTX for compute_80", a.describe());
    }

    @Test
    void readsEveryContainerAcrossZeroPadding() throws IOException {
        byte[] first = container(entry(CudaFatbin.KIND_CUBIN, 70, new byte[5]));   // 16 + 64 + 5: not 8-aligned
        byte[] second = container(entry(CudaFatbin.KIND_CUBIN, 75, new byte[8]), entry(CudaFatbin.KIND_CUBIN, 37,
                new byte[8]));
        CudaArchitectures a = CudaFatbin.read(write("lib.so", elf(CudaFatbin.SECTION, concat(first, new byte[3],
                second, new byte[8]))));
        assertEquals(Set.of(37, 70, 75), a.cubin());
        assertTrue(a.ptx().isEmpty());
        assertEquals(2, a.fatbins());
    }

    @Test
    void aLibraryWithoutAFatbinSectionCarriesNoDeviceCode() throws IOException {
        CudaArchitectures a = CudaFatbin.read(write("libplain.so", elf(".text", new byte[32])));
        assertTrue(a.cubin().isEmpty() && a.ptx().isEmpty());
        assertEquals(0, a.fatbins());
        assertEquals("none", a.runnableRange());
    }

    @Test
    void everyTruncationFailsWithTheFileNamedAndNeverReadsOutOfBounds() throws IOException {
        for (int length = 0; length < CUBIN_86_PTX_80.length; length++) {
            Path cut = write("cut.so", Arrays.copyOf(CUBIN_86_PTX_80, length));
            IOException e = assertThrows(IOException.class, () -> CudaFatbin.read(cut), "cut at " + length);
            assertTrue(e.getMessage().startsWith(cut.toString() + ": "), e.getMessage());
        }
    }

    @Test
    void everyCorruptByteEitherReadsOrFailsWithAnIoException() throws IOException {
        for (int at = 0; at < CUBIN_86_PTX_80.length; at++) {
            for (byte value : new byte[] {(byte) 0xFF, (byte) 0x80, 0x00, 0x01}) {
                byte[] bytes = CUBIN_86_PTX_80.clone();
                bytes[at] = value;
                Path bad = write("bad.so", bytes);
                try {
                    CudaFatbin.read(bad);
                } catch (IOException expected) {
                    assertTrue(expected.getMessage().startsWith(bad + ": "), expected.getMessage());
                }   // anything else (IndexOutOfBounds, BufferUnderflow, OOM) fails the test
            }
        }
    }

    @Test
    void lengthsThatOverrunTheirStructureAreNamed() throws IOException {
        int section = 64;   // where CraftedElf puts the section's data
        assertEquals("fatbin size 18446744073709551615 runs past the end of .nv_fatbin (183 bytes left)", reason(
                patchLong(CUBIN_86_PTX_80, section + 8, -1L)));
        assertEquals("fatbin entry payload size 4294967296 runs past the end of its fatbin (119 bytes left)", reason(
                patchLong(CUBIN_86_PTX_80, section + 16 + 8, 1L << 32)));
        assertEquals("fatbin entry header size 8 is below 32 or past the end of its fatbin", reason(
                patchInt(CUBIN_86_PTX_80, section + 16 + 4, 8)));
        assertEquals("expected a fatbin header (magic 0xBA55ED50) or zero padding", reason(
                patchInt(CUBIN_86_PTX_80, section, 0x12345678)));
        assertEquals("not a little-endian ELF64 file (class 1, data 1)", reason(patchByte(CUBIN_86_PTX_80, 4, 1)));
        assertEquals("not an ELF file (no \\x7fELF magic)", reason(patchByte(CUBIN_86_PTX_80, 1, 'X')));
    }

    @Test
    void sectionHeadersPointingOutsideTheFileAreNamed() throws IOException {
        long shoff = ByteBuffer.wrap(CUBIN_86_PTX_80).order(ByteOrder.LITTLE_ENDIAN).getLong(0x28);
        String tooMany = reason(patchShort(CUBIN_86_PTX_80, 0x3C, 0x7FFF));
        assertTrue(tooMany.startsWith("32767 section headers of 64 bytes at offset " + shoff + " do not fit"), tooMany);
        String sectionPastEnd = reason(patchLong(CUBIN_86_PTX_80, (int) shoff + 64 + 0x20, 1L << 40));
        assertTrue(sectionPastEnd.startsWith("the .nv_fatbin section (offset 64, 1099511627776 bytes) runs past the "
                + "end of the file"), sectionPastEnd);
    }

    @Test
    void theUsersCheckDescribesALibraryInOneLine() throws IOException {
        String line = CudaFatbin.describe(CudaFatbin.read(write("lib.so", CUBIN_86_PTX_80)));
        assertTrue(line.startsWith("1 fatbin(s); "), line);
        assertTrue(line.contains("sm_86") && line.contains("runs on compute capability"), line);
    }

    private String reason(byte[] bytes) throws IOException {
        Path p = write("corrupt.so", bytes);
        String m = assertThrows(IOException.class, () -> CudaFatbin.read(p)).getMessage();
        String prefix = p + ": at byte offset ";
        assertTrue(m.startsWith(prefix), m);
        String rest = m.substring(m.indexOf(": ", prefix.length()) + 2);
        return rest.substring(0, rest.indexOf("; not a CUDA library"));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] patchLong(byte[] b, int at, long v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
        return c;
    }

    private static byte[] patchInt(byte[] b, int at, int v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
        return c;
    }

    private static byte[] patchShort(byte[] b, int at, int v) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) v);
        return c;
    }

    private static byte[] patchByte(byte[] b, int at, int v) {
        byte[] c = b.clone();
        c[at] = (byte) v;
        return c;
    }
}
