package org.sparkcnn.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Turns a Spark properties file (one of {@code conf/spark/*.conf}) into {@code key=value} arguments for
 * spark-submit's {@code --conf}, so that {@code bin/submit} applies a template on top of the cluster's
 * {@code spark-defaults.conf} instead of replacing it ({@code --properties-file} would: spark-submit then skips
 * the defaults, and with them the event log, queue and shuffle service settings).
 *
 * <p>Parses the way spark-submit parses {@code --properties-file}: {@link Properties#load(Reader)} over UTF-8
 * (comments start with {@code #} or {@code !}; the key ends at the first unescaped {@code =}, {@code :} or
 * whitespace; backslash escapes and line continuations), then trims each value.
 *
 * <p>{@code main(file)} prints each {@code key=value} followed by a NUL byte, in key order, for
 * {@code while IFS= read -r -d ''} in bash (values may hold spaces, quotes and even newlines).
 */
public final class SparkPropertiesArgs {
    private SparkPropertiesArgs() {}

    public static List<String> confArgs(Path propertiesFile) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
            props.load(in);
        }
        List<String> args = new ArrayList<>();
        for (String key : new TreeSet<>(props.stringPropertyNames())) {
            args.add(key + "=" + props.getProperty(key).trim());
        }
        return args;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SparkPropertiesArgs PROPERTIES_FILE");
            System.exit(2);
        }
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        for (String conf : confArgs(Path.of(args[0]))) {
            out.print(conf);
            out.print('\0');
        }
        out.flush();
    }
}
