package org.sparkcnn.pipeline.cli;

import org.sparkcnn.pipeline.error.BadInputException;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Parses {@code args} into a {@link CommandLine}; usage errors are {@link BadInputException}s (exit 2). */
public final class CommandLineParser {
    private CommandLineParser() {}

    public static CommandLine parse(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            return new CommandLine(null, null, List.of(), "final", true, List.of(), 16, "", "", null, null);
        }
        Verb verb = Verb.parse(args[0]).orElseThrow(() -> new BadInputException("unknown verb '" + args[0]
                + "'; expected one of " + Arrays.stream(Verb.values()).map(Verb::cliName).collect(Collectors.joining(", "))
                + " (bin/pipeline --help lists them)"));
        File conf = null;
        List<String> overrides = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        String checkpoint = "final";
        boolean help = false;
        int previewCount = 16;
        String model = "";
        String output = "";
        String image = null;
        String kernel = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> help = true;
                case "--conf" -> conf = new File(value(args, ++i, a));
                case "--set" -> overrides.add(value(args, ++i, a));
                case "--run-id" -> overrides.add("run.id=" + value(args, ++i, a));
                case "--checkpoint" -> checkpoint = value(args, ++i, a);
                case "--overwrite" -> overrides.add("output.overwrite=true");
                case "--verbose" -> overrides.add("output.verbose=true");
                case "--n" -> previewCount = positive(value(args, ++i, a), a);
                case "--model" -> model = value(args, ++i, a);
                case "--output" -> output = value(args, ++i, a);
                case "--image" -> image = value(args, ++i, a);
                case "--kernel" -> kernel = org.sparkcnn.pipeline.filters.ClassicKernel.parse(value(args, ++i, a)).cliName();
                default -> {
                    if (a.startsWith("--conf=")) {
                        conf = new File(a.substring("--conf=".length()));
                    } else if (a.startsWith("--set=")) {
                        overrides.add(a.substring("--set=".length()));
                    } else if (a.startsWith("--run-id=")) {
                        overrides.add("run.id=" + a.substring("--run-id=".length()));
                    } else if (a.startsWith("--checkpoint=")) {
                        checkpoint = a.substring("--checkpoint=".length());
                    } else if (a.startsWith("-")) {
                        throw new BadInputException("unknown option '" + a + "' for " + verb.cliName()
                                + "; see bin/pipeline " + verb.cliName() + " --help");
                    } else if (verb == Verb.PREDICT) {
                        inputs.add(a);
                    } else {
                        throw new BadInputException("unexpected argument '" + a + "' for " + verb.cliName()
                                + " (configuration goes in --set key=value)");
                    }
                }
            }
        }
        return new CommandLine(verb, conf, overrides, checkpoint, help, inputs, previewCount, model, output, image, kernel);
    }

    private static int positive(String value, String option) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadInputException("option " + option + " needs a positive whole number, got '" + value + "'");
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new BadInputException("option " + option + " needs a value");
        }
        return args[i];
    }
}
