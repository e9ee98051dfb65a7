package org.sparkcnn.pipeline.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.sparkcnn.pipeline.device.CraftedElf.container;
import static org.sparkcnn.pipeline.device.CraftedElf.elf;
import static org.sparkcnn.pipeline.device.CraftedElf.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Nd4jCudaCodeTest {
    @TempDir
    Path dir;

    private static final byte[] SM_89 = elf(CudaFatbin.SECTION, container(entry(CudaFatbin.KIND_CUBIN, 89,
            new byte[16])));

    /** Copies a jar resource into the test's folder, as JavaCPP's cache would. */
    private Nd4jCudaCode.Extractor copyInto(Path folder) {
        return url -> {
            Path out = folder.resolve("extracted.so");
            try (InputStream in = url.openStream()) {
                Files.copy(in, out);
            }
            return out;
        };
    }

    @Test
    void withoutTheLibraryOnTheClasspathTheRecordedArchitecturesHold() throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertSame(CudaArchitectures.ND4J_CUDA_11_6_M2_1, Nd4jCudaCode.architectures(empty, copyInto(dir)));
        }
    }

    @Test
    void aLibraryInAClassesFolderIsReadInPlace() throws IOException {
        Path lib = dir.resolve("classes").resolve(Nd4jCudaCode.RESOURCES.get(1));
        Files.createDirectories(lib.getParent());
        Files.write(lib, SM_89);
        try (URLClassLoader classes = new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()}, null)) {
            CudaArchitectures a = Nd4jCudaCode.architectures(classes, url -> {
                throw new AssertionError("a file needs no extraction");
            });
            assertEquals(Set.of(89), a.cubin());
            assertEquals(lib.toString(), a.source());
        }
    }

    @Test
    void aLibraryInAJarIsExtractedThenRead() throws IOException {
        Path jar = dir.resolve("nd4j-cuda-11.6-linux-x86_64-cudnn.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry(Nd4jCudaCode.RESOURCES.get(0)));
            j.write(SM_89);
        }
        try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            CudaArchitectures a = Nd4jCudaCode.architectures(classes, copyInto(dir));
            assertEquals(Set.of(89), a.cubin());
            assertEquals(dir.resolve("extracted.so").toString(), a.source());
        }
    }

    @Test
    void anUnreadableLibraryFallsBackToTheRecordedArchitecturesAndSaysWhy() throws IOException {
        Path lib = dir.resolve("classes").resolve(Nd4jCudaCode.RESOURCES.get(0));
        Files.createDirectories(lib.getParent());
        Files.write(lib, new byte[] {0x7f, 'E', 'L', 'F'});
        try (URLClassLoader classes = new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()}, null)) {
            CudaArchitectures a = Nd4jCudaCode.architectures(classes, copyInto(dir));
            assertEquals(CudaArchitectures.ND4J_CUDA_11_6_M2_1.cubin(), a.cubin());
            assertTrue(a.source().startsWith("nd4j-cuda-11.6 1.0.0-M2.1, as recorded: file:"), a.source());
            assertTrue(a.source().contains("shorter (4 bytes) than an ELF64 header"), a.source());
        }
    }
}
