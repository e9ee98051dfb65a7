package org.sparkcnn.pipeline.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The CLI verbs, with the config sections each one reads (for {@code --help}). */
public enum Verb {
    INGEST("List, decode, validate, resize and label a corpus into seeded train/validation/test shards.",
            List.of("run", "output", "corpus", "image", "split", "seed", "ingest", "augment", "spark")),
    TRAIN("Train a CNN on a run's shards with synchronous parameter averaging; resumes from the latest checkpoint.",
            List.of("run", "output", "seed", "model", "train", "checkpoint", "early-stopping", "augment", "spark")),
    EVALUATE("Evaluate a checkpoint (--checkpoint final|latest|best|epoch-NNNN|PATH; default final) on the test split; writes evaluation.json.",
            List.of("run", "output", "train", "spark")),
    PREDICT("Classify image files, folders or globs: predict --run-id R [--checkpoint C] | --model <run>/checkpoints/C [--output DIR] IMAGE...",
            List.of("run", "output", "spark")),
    RUN("Ingest, train and evaluate in one go.",
            List.of("run", "output", "corpus", "image", "split", "seed", "ingest", "model", "train", "checkpoint", "early-stopping", "augment", "spark")),
    DEMO("Generate a small synthetic corpus, then ingest, train and evaluate on it (the README's first command).",
            List.of("run", "output", "demo", "image", "split", "seed", "ingest", "model", "train", "checkpoint", "early-stopping", "augment", "spark")),
    AUGMENT_PREVIEW("Write a PNG grid of training images beside their augmented versions: augment-preview --run-id R [--n 16].",
            List.of("run", "output", "seed", "augment", "spark")),
    REPORT("Write the run's self-contained HTML report <run>/report.html (also refreshed after train, evaluate, run and demo): report --run-id R.",
            List.of("run", "output", "seed", "augment", "spark")),
    FILTERS("PNGs under <run>/filters/: learned first-layer kernels and feature maps (filters --run-id R [--checkpoint C] [--image PATH]), or a classic kernel on an image (--kernel sobel|edge|blur --image PATH).",
            List.of("run", "output", "spark"));

    private final String description;
    private final List<String> sections;

    Verb(String description, List<String> sections) {
        this.description = description;
        this.sections = sections;
    }

    public String description() {
        return description;
    }

    public List<String> sections() {
        return sections;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<Verb> parse(String s) {
        for (Verb v : values()) {
            if (v.cliName().equals(s)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
