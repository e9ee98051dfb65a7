package org.sparkcnn.pipeline.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import org.sparkcnn.pipeline.config.ConfigLoader;

import java.util.Map;
import java.util.TreeMap;

/** {@code --help} texts, built from {@code reference.conf} so the listed keys and defaults never drift. */
public final class HelpText {
    private HelpText() {}

    public static String general() {
        StringBuilder sb = new StringBuilder();
        sb.append("usage: bin/pipeline <verb> [--conf FILE] [--set key=value]... [--run-id R] [--overwrite] [--verbose] [--help]\n");
        sb.append("       (or: spark-submit --class org.sparkcnn.jobs.PipelineMain <shaded jar> <verb> ...)\n\nverbs:\n");
        for (Verb v : Verb.values()) {
            sb.append(String.format("  %-9s %s%n", v.cliName(), v.description()));
        }
        sb.append("\nexamples:\n");
        sb.append("  bin/pipeline demo                                   # synthetic shapes: ingest, train, evaluate, report\n");
        sb.append("  bin/pipeline run --conf conf/food101.conf --set corpus.uri=hdfs:///data/food-101 --run-id food101-v1\n");
        sb.append("  bin/pipeline predict --run-id food101-v1 'photos/*.jpg'\n");
        sb.append("\nPrecedence: --set, then --conf FILE, then the verb's defaults (demo: conf/demo.conf), then reference.conf.\n");
        sb.append("Exit codes: 0 ok, 2 bad configuration or input, 1 failure.\n");
        sb.append("bin/pipeline <verb> --help lists the keys the verb reads.\n");
        return sb.toString();
    }

    public static String forVerb(Verb verb) {
        StringBuilder sb = new StringBuilder();
        sb.append("bin/pipeline ").append(verb.cliName()).append(": ").append(verb.description()).append("\n\n");
        sb.append("keys (default, meaning):\n");
        Config reference = ConfigLoader.reference();
        Map<String, ConfigValue> sorted = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
            sorted.put(e.getKey(), e.getValue());
        }
        for (String section : verb.sections()) {
            for (Map.Entry<String, ConfigValue> e : sorted.entrySet()) {
                String key = e.getKey();
                if (key.equals(section) || key.startsWith(section + ".")) {
                    String comment = String.join(" ", e.getValue().origin().comments()).trim();
                    sb.append(String.format("  %-32s %-20s %s%n", key, e.getValue().render(), comment));
                }
            }
            if (section.equals("spark")) {
                sb.append(String.format("  %-32s %-20s %s%n", "spark.*", "",
                        "passed through to SparkConf (e.g. --set spark.master=local[2])"));
            }
        }
        return sb.toString();
    }
}
