package org.sparkcnn.pipeline.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CudaLibrariesTest {
    @TempDir
    Path dir;

    private static CudaLibrary library(String soname) {
        return CudaLibrary.ND4J_CUDA_11_6.stream().filter(l -> l.soname().equals(soname)).findFirst().orElseThrow();
    }

    private Path file(String path) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        return Files.write(p, new byte[0]);
    }

    @Test
    void findsEachLibraryOnTheLoaderPathInLdconfigElsewhereOrInTheRedist() throws IOException {
        Path cublas = file("ld/libcublas.so.11");
        file("ld/libcublas.so.11.8.1.74");   // the real file behind the soname link: not what the loader asks for
        Path cusolver = file("local/cuda-11.8/targets/x86_64-linux/lib/libcusolver.so.11");
        file("classes/" + CudaLibraries.REDIST + "libcudnn.so.8");
        String ldconfig = "941 libs found in cache `/etc/ld.so.cache'\n"
                + "\tlibcudart.so.11.0 (libc6,x86-64) => /usr/local/cuda-11.6/lib64/libcudart.so.11.0\n"
                + "\tlibcuda.so.1 (libc6) => /usr/lib/i386-linux-gnu/libcuda.so.1\n"
                + "\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1\n";
        try (URLClassLoader classes = new URLClassLoader(new URL[] {dir.resolve("classes").toUri().toURL()}, null)) {
            CudaLibraries libraries = new CudaLibraries(List.of(dir.resolve("missing"), dir.resolve("ld")), ldconfig,
                    List.of(dir.resolve("local")), classes);
            Map<CudaLibrary, CudaLibraries.Location> found = libraries.find(CudaLibrary.ND4J_CUDA_11_6);
            assertEquals(new CudaLibraries.Location(cublas.toString(), true), found.get(library("libcublas.so.11")));
            assertEquals(new CudaLibraries.Location("/usr/lib/x86_64-linux-gnu/libcuda.so.1", true),
                    found.get(library("libcuda.so.1")));
            assertEquals(new CudaLibraries.Location("/usr/local/cuda-11.6/lib64/libcudart.so.11.0", true),
                    found.get(library("libcudart.so.11.0")));
            assertEquals(new CudaLibraries.Location(cusolver.toString(), false), found.get(library("libcusolver.so.11")));
            assertTrue(found.get(library("libcudnn.so.8")).where().endsWith(CudaLibraries.REDIST + "libcudnn.so.8"));
            assertTrue(found.get(library("libcudnn.so.8")).onLoaderPath());
            assertFalse(found.containsKey(library("libcublasLt.so.11")));
            assertEquals(5, found.size());   // cublas, cuda, cudart, cusolver, cudnn; the cuDNN parts and cublasLt missing
        }
    }

    @Test
    void aLibraryOnTheLoaderPathWinsOverOneElsewhere() throws IOException {
        Path onPath = file("ld/libcudnn.so.8");
        file("cache/nd4j-cuda/org/bytedeco/cuda/linux-x86_64/libcudnn.so.8");
        Map<CudaLibrary, CudaLibraries.Location> found = new CudaLibraries(List.of(dir.resolve("ld")), "",
                List.of(dir.resolve("cache")), null).find(List.of(library("libcudnn.so.8")));
        assertEquals(new CudaLibraries.Location(onPath.toString(), true), found.get(library("libcudnn.so.8")));
    }

    /** This host's search (ldconfig included) runs on any machine; what it reports exists. */
    @Test
    void thisHostsSearchReportsOnlyFilesThatExist() {
        CudaLibraries.onThisHost().find(CudaLibrary.ND4J_CUDA_11_6).values().forEach(at ->
                assertTrue(at.where().contains(":") || Files.exists(Path.of(at.where())), at.where()));
    }
}
