package org.sparkcnn.pipeline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A local run folder as tests look at it. */
public final class RunFolders {
    private RunFolders() {}

    /** The run's only ingest generation folder ({@code ingest/g-...}); fails when there is not exactly one. */
    public static Path onlyGeneration(Path runRoot) {
        try (var gens = Files.list(runRoot.resolve("ingest"))) {
            List<Path> all = gens.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
            assertEquals(1, all.size(), "generations: " + all);
            return all.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
