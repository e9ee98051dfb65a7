package org.sparkcnn.pipeline.cli;

import java.io.File;
import java.util.List;

/**
 * A parsed command line: {@code <verb> [--conf FILE] [--set key=value]... [--run-id R] [--overwrite]
 * [--checkpoint C] [--n N] [--image PATH] [--kernel K] [--help] [INPUT...]}. {@code --run-id R} and {@code --overwrite} are shorthands for
 * {@code --set run.id=R} and {@code --set output.overwrite=true}.
 */
public record CommandLine(Verb verb, File confFile, List<String> overrides, String checkpoint, boolean help,
                          List<String> inputs, int previewCount, String image, String kernel) {
    public CommandLine {
        overrides = List.copyOf(overrides);
        inputs = List.copyOf(inputs);
    }

    /** Without {@code --image} and {@code --kernel} (the {@code filters} verb's options). */
    public CommandLine(Verb verb, File confFile, List<String> overrides, String checkpoint, boolean help,
                       List<String> inputs, int previewCount) {
        this(verb, confFile, overrides, checkpoint, help, inputs, previewCount, null, null);
    }
}
