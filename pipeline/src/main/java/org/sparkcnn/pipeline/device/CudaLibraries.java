package org.sparkcnn.pipeline.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where this host has the CUDA and cuDNN libraries ND4J's CUDA build needs ({@link CudaLibrary#ND4J_CUDA_11_6}),
 * found by name without loading any. The dynamic loader resolves {@code libnd4jcuda.so}'s libraries from
 * {@code LD_LIBRARY_PATH}, its RUNPATH ({@code /usr/local/cuda-11.6/lib64}), the {@code ldconfig} cache and the
 * system directories: a library there is usable. A library only elsewhere (another {@code /usr/local/cuda*}
 * install, the JavaCPP cache) is reported with where it is, so the message can say which directory to add. The
 * JavaCPP CUDA redist on the classpath ({@code org.bytedeco:cuda:...:linux-x86_64-redist}) is taken as usable:
 * JavaCPP extracts and loads it itself.
 */
public final class CudaLibraries {
    /**
     * Where one library was found.
     *
     * @param where    the file, or the classpath resource of a JavaCPP redist
     * @param onLoaderPath whether the dynamic loader (or JavaCPP, for the redist) will find it there
     */
    public record Location(String where, boolean onLoaderPath) {}

    /** libnd4jcuda.so's RUNPATH besides $ORIGIN. */
    static final String RUNPATH = "/usr/local/cuda-11.6/lib64";
    static final List<String> SYSTEM_DIRS = List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64",
            "/usr/lib64", "/lib", "/usr/lib");
    /** Where the JavaCPP CUDA redist jar keeps its libraries. */
    static final String REDIST = "org/bytedeco/cuda/linux-x86_64/";

    private static final int MAX_CACHE_DEPTH = 8;
    private static final long MAX_CACHE_FILES = 200_000;

    private final List<Path> loaderDirs;
    private final String ldconfigOutput;
    private final List<Path> otherDirs;
    private final ClassLoader classpath;

    /**
     * @param loaderDirs     directories the dynamic loader searches, in its order
     * @param ldconfigOutput the output of {@code ldconfig -p} (empty when unavailable)
     * @param otherDirs      directories searched (recursively, bounded) for libraries the loader would not find
     * @param classpath      where to look for the JavaCPP CUDA redist; null for nowhere
     */
    public CudaLibraries(List<Path> loaderDirs, String ldconfigOutput, List<Path> otherDirs, ClassLoader classpath) {
        this.loaderDirs = List.copyOf(loaderDirs);
        this.ldconfigOutput = ldconfigOutput;
        this.otherDirs = List.copyOf(otherDirs);
        this.classpath = classpath;
    }

    /**
     * This host's: {@code LD_LIBRARY_PATH}, the RUNPATH and system directories, {@code ldconfig -p}; then every
     * {@code /usr/local/cuda*} install's library directories and the JavaCPP cache; the context class loader.
     */
    public static CudaLibraries onThisHost() {
        List<Path> loader = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        for (String dir : ld == null ? new String[0] : ld.split(":")) {
            if (!dir.isEmpty()) {
                loader.add(Path.of(dir));
            }
        }
        loader.add(Path.of(RUNPATH));
        SYSTEM_DIRS.forEach(d -> loader.add(Path.of(d)));
        List<Path> other = new ArrayList<>();
        try (DirectoryStream<Path> installs = Files.newDirectoryStream(Path.of("/usr/local"), "cuda*")) {
            for (Path install : installs) {
                other.add(install.resolve("lib64"));
                other.add(install.resolve("targets/x86_64-linux/lib"));
            }
        } catch (IOException e) {
            // no /usr/local or unreadable: nothing to add
        }
        other.add(Path.of(System.getProperty("org.bytedeco.javacpp.cachedir",
                System.getProperty("user.home") + "/.javacpp/cache")));
        return new CudaLibraries(loader, ldconfig(), other, Thread.currentThread().getContextClassLoader());
    }

    /** Where each of {@code libraries} is, preferring a place the loader searches; a missing one has no entry. */
    public Map<CudaLibrary, Location> find(List<CudaLibrary> libraries) {
        Set<String> wanted = new LinkedHashSet<>();
        libraries.forEach(l -> wanted.add(l.soname()));
        Map<String, Location> found = new HashMap<>();
        for (Path dir : loaderDirs) {
            for (String name : wanted) {
                Path p = dir.resolve(name);
                if (!found.containsKey(name) && Files.exists(p)) {
                    found.put(name, new Location(p.toString(), true));
                }
            }
        }
        ldconfigEntries().forEach((name, path) -> {
            if (wanted.contains(name)) {
                found.putIfAbsent(name, new Location(path, true));
            }
        });
        for (String name : wanted) {
            URL redist = classpath == null || found.containsKey(name) ? null : classpath.getResource(REDIST + name);
            if (redist != null) {
                found.put(name, new Location(redist.toString(), true));
            }
        }
        if (!found.keySet().containsAll(wanted)) {
            searchOtherDirs(wanted, found);
        }
        Map<CudaLibrary, Location> result = new LinkedHashMap<>();
        for (CudaLibrary library : libraries) {
            Location at = found.get(library.soname());
            if (at != null) {
                result.put(library, at);
            }
        }
        return result;
    }

    /** soname to path for this machine's architecture, from {@code ldconfig -p}'s "name (libc6,x86-64) => path". */
    Map<String, String> ldconfigEntries() {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : ldconfigOutput.lines().toList()) {
            int open = line.indexOf(" (");
            int arrow = line.indexOf(") => ");
            if (open > 0 && arrow > open && line.substring(open, arrow).contains("x86-64")) {
                entries.putIfAbsent(line.substring(0, open).strip(), line.substring(arrow + 5).strip());
            }
        }
        return entries;
    }

    private void searchOtherDirs(Set<String> wanted, Map<String, Location> found) {
        long[] visited = {0};
        for (Path dir : otherDirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir, MAX_CACHE_DEPTH)) {
                files.takeWhile(p -> visited[0]++ < MAX_CACHE_FILES).forEach(p -> {
                    String name = String.valueOf(p.getFileName());
                    if (wanted.contains(name) && !found.containsKey(name)) {
                        found.put(name, new Location(p.toString(), false));
                    }
                });
            } catch (IOException | UncheckedIOException e) {
                // an unreadable directory hides nothing the loader would find: go on
            }
        }
    }

    private static String ldconfig() {
        for (String candidate : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig")) {
            if (Files.isExecutable(Path.of(candidate))) {
                try {
                    HostCommand.Output out = HostCommand.run(List.of(candidate, "-p"), Duration.ofSeconds(10), 4 << 20);
                    return out.exitCode() == 0 ? out.text() : "";
                } catch (IOException e) {
                    return "";
                }
            }
        }
        return "";
    }
}
