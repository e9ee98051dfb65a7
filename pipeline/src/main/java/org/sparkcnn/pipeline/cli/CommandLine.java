package org.sparkcnn.pipeline.cli;

import java.io.File;
import java.util.List;

/**
 * A parsed command line: {@code <verb> [--conf FILE] [--set key=value]... [--run-id R] [--overwrite]
 * [--checkpoint C] [--n N] [--model PATH] [--output DIR] [--image PATH] [--kernel K] [--help] [INPUT...]}. {@code --run-id R} and {@code --overwrite} are shorthands for
 * {@code --set run.id=R} and {@code --set output.overwrite=true}; {@code --verbose} for {@code --set output.verbose=true}.
 */
public record CommandLine(Verb verb, File confFile, List<String> overrides, String checkpoint, boolean help,
                          List<String> inputs, int previewCount, String model, String output,
                          String image, String kernel) {
    public CommandLine {
        overrides = List.copyOf(overrides);
        inputs = List.copyOf(inputs);
    }
}
