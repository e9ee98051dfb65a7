package org.sparkcnn.pipeline.filters;

import java.util.List;

/** The PNGs a {@code filters} run wrote, in the order written. */
public record FiltersResult(List<String> written) {
    public FiltersResult {
        written = List.copyOf(written);
    }
}
