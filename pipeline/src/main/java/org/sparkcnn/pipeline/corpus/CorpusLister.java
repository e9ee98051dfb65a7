package org.sparkcnn.pipeline.corpus;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.sparkcnn.pipeline.config.PipelineConfig.CorpusLayoutName;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.storage.Storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Lists a corpus on the driver (names and sizes only, never image bytes) and labels each file:
 * <ul>
 *   <li>{@code food101}: {@code images/<class>/<id>.<ext>}, {@code meta/classes.txt}, optional
 *       {@code meta/train.txt} and {@code meta/test.txt} (entries {@code class/id} without extension);</li>
 *   <li>{@code directory}: Keras {@code flow_from_directory}, {@code <root>/<class>/*};</li>
 *   <li>{@code train-test}: {@code train/<class>/*} and {@code test/<class>/*}.</li>
 * </ul>
 * Anything that cannot become an example is returned as a {@link QuarantineRecord}, never dropped.
 */
public final class CorpusLister {
    static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    private final Storage storage;
    private final SplitAssigner splits;

    public CorpusLister(Storage storage, SplitAssigner splits) {
        this.storage = storage;
        this.splits = splits;
    }

    public CorpusListing list(String corpusUri, CorpusLayoutName requested) {
        if (corpusUri == null || corpusUri.isBlank()) {
            throw new BadInputException("corpus.uri is empty: set it to the corpus root, e.g. --set corpus.uri=hdfs:///data/food-101");
        }
        String root = Storage.qualify(corpusUri);
        if (!storage.isDirectory(root)) {
            throw new BadInputException("corpus.uri " + corpusUri + " is not a readable directory");
        }
        CorpusLayoutName layout = requested == CorpusLayoutName.AUTO ? detect(root) : requested;
        return switch (layout) {
            case FOOD101 -> listFood101(root);
            case DIRECTORY -> listDirectory(root);
            case TRAIN_TEST -> listTrainTest(root);
            case AUTO -> throw new IllegalStateException("layout not detected");
            case DATAFRAME -> throw new IllegalStateException("a DataFrame is not a corpus of files");
        };
    }

    /** food101 when {@code meta/classes.txt} exists, train-test when {@code train/} and {@code test/} do, else directory. */
    public CorpusLayoutName detect(String root) {
        if (storage.exists(Storage.join(root, "meta", "classes.txt")) && storage.isDirectory(Storage.join(root, "images"))) {
            return CorpusLayoutName.FOOD101;
        }
        if (storage.isDirectory(Storage.join(root, "train")) && storage.isDirectory(Storage.join(root, "test"))) {
            return CorpusLayoutName.TRAIN_TEST;
        }
        return CorpusLayoutName.DIRECTORY;
    }

    private CorpusListing listFood101(String root) {
        String imagesRoot = Storage.join(root, "images");
        List<String> classes = readLines(Storage.join(root, "meta", "classes.txt"));
        if (classes.isEmpty()) {
            throw new BadInputException("meta/classes.txt under " + root + " lists no classes");
        }
        Map<String, Integer> classIndex = index(classes);
        List<QuarantineRecord> quarantined = new ArrayList<>();

        // id ("class/name" without extension) -> file, first one wins; later ones are duplicates.
        Map<String, FileStatus> byId = new LinkedHashMap<>();
        for (FileStatus file : storage.listFiles(imagesRoot, true)) {
            String rel = relative(imagesRoot, file);
            String reject = rejectByName(rel, classIndex);
            if (reject != null) {
                quarantined.add(record(file, reject));
                continue;
            }
            String id = stripExtension(rel);
            if (byId.putIfAbsent(id, file) != null) {
                quarantined.add(new QuarantineRecord(file.getPath().toString(), QuarantineReason.DUPLICATE,
                        "another file has the same id " + id + ": " + byId.get(id).getPath().getName(), file.getLen()));
            }
        }

        String trainList = Storage.join(root, "meta", "train.txt");
        String testList = Storage.join(root, "meta", "test.txt");
        boolean hasLists = storage.exists(trainList) || storage.exists(testList);
        List<CorpusEntry> entries = new ArrayList<>();
        if (!hasLists) {
            for (Map.Entry<String, FileStatus> e : byId.entrySet()) {
                entries.add(entry(imagesRoot, e.getValue(), classIndex, splits.assign(relative(imagesRoot, e.getValue()))));
            }
            return new CorpusListing(root, CorpusLayoutName.FOOD101, classes, entries, quarantined);
        }
        Set<String> used = new LinkedHashSet<>();
        for (String[] list : new String[][]{{testList, "test"}, {trainList, "train"}}) {
            if (!storage.exists(list[0])) {
                continue;
            }
            for (String id : readLines(list[0])) {
                String listed = "meta/" + list[1] + ".txt: " + id;
                if (id.startsWith("/") || id.contains("..") || id.contains("\\") || id.contains(":")) {
                    quarantined.add(new QuarantineRecord(Storage.join(root, "meta", list[1] + ".txt") + "#" + id,
                            QuarantineReason.UNSAFE_PATH, "unsafe entry in " + listed + " (absolute or '..'); not followed", -1));
                    continue;
                }
                FileStatus file = byId.get(id);
                if (file == null) {
                    String klass = id.contains("/") ? id.substring(0, id.indexOf('/')) : "";
                    QuarantineReason reason = classIndex.containsKey(klass) ? QuarantineReason.MISSING : QuarantineReason.UNKNOWN_CLASS;
                    quarantined.add(new QuarantineRecord(Storage.join(imagesRoot, id), reason,
                            reason == QuarantineReason.MISSING ? "listed in " + listed + " but no such image"
                                    : "listed in " + listed + " with a class missing from meta/classes.txt", -1));
                    continue;
                }
                if (!used.add(id)) {
                    quarantined.add(new QuarantineRecord(file.getPath().toString() + "#" + list[1], QuarantineReason.DUPLICATE,
                            "listed more than once (" + listed + ")", file.getLen()));
                    continue;
                }
                Split split = list[1].equals("test") ? Split.TEST : splits.assignTrainOrValidation(relative(imagesRoot, file));
                entries.add(entry(imagesRoot, file, classIndex, split));
            }
        }
        for (Map.Entry<String, FileStatus> e : byId.entrySet()) {
            if (!used.contains(e.getKey())) {
                quarantined.add(record(e.getValue(), "UNLISTED:in neither meta/train.txt nor meta/test.txt"));
            }
        }
        return new CorpusListing(root, CorpusLayoutName.FOOD101, classes, entries, quarantined);
    }

    private CorpusListing listDirectory(String root) {
        List<String> classes = storage.listDirectoryNames(root);
        if (classes.isEmpty()) {
            throw new BadInputException("corpus " + root + " has no class folders (expected <root>/<class>/<image>)");
        }
        Map<String, Integer> classIndex = index(classes);
        List<CorpusEntry> entries = new ArrayList<>();
        List<QuarantineRecord> quarantined = new ArrayList<>();
        for (FileStatus file : storage.listFiles(root, true)) {
            String rel = relative(root, file);
            String reject = rejectByName(rel, classIndex);
            if (reject != null) {
                quarantined.add(record(file, reject));
            } else {
                entries.add(entry(root, file, classIndex, splits.assign(rel)));
            }
        }
        return new CorpusListing(root, CorpusLayoutName.DIRECTORY, classes, entries, quarantined);
    }

    private CorpusListing listTrainTest(String root) {
        String trainRoot = Storage.join(root, "train");
        String testRoot = Storage.join(root, "test");
        List<String> classes = storage.listDirectoryNames(trainRoot);
        if (classes.isEmpty()) {
            throw new BadInputException("corpus " + root + " has no class folders under train/");
        }
        Map<String, Integer> classIndex = index(classes);
        List<CorpusEntry> entries = new ArrayList<>();
        List<QuarantineRecord> quarantined = new ArrayList<>();
        for (String[] part : new String[][]{{trainRoot, "train"}, {testRoot, "test"}}) {
            for (FileStatus file : storage.listFiles(part[0], true)) {
                String rel = relative(part[0], file);
                String reject = rejectByName(rel, classIndex);
                if (reject != null) {
                    quarantined.add(record(file, reject));
                    continue;
                }
                Split split = part[1].equals("test") ? Split.TEST
                        : splits.assignTrainOrValidation(part[1] + "/" + rel);
                entries.add(entry(part[0], file, classIndex, split));
            }
        }
        return new CorpusListing(root, CorpusLayoutName.TRAIN_TEST, classes, entries, quarantined);
    }

    /** Returns "REASON:message" for a file that cannot be an example by its name alone, else null. */
    private static String rejectByName(String rel, Map<String, Integer> classIndex) {
        int slash = rel.indexOf('/');
        if (slash < 0) {
            return "UNKNOWN_CLASS:file outside any class folder";
        }
        if (rel.indexOf('/', slash + 1) >= 0) {
            return "UNKNOWN_CLASS:nested folder below the class folder";
        }
        String klass = rel.substring(0, slash);
        if (!classIndex.containsKey(klass)) {
            return "UNKNOWN_CLASS:class folder '" + klass + "' is not a known class";
        }
        String ext = extension(rel);
        if (!IMAGE_EXTENSIONS.contains(ext)) {
            return "UNSUPPORTED_FORMAT:extension '" + ext + "' is not one of " + IMAGE_EXTENSIONS;
        }
        return null;
    }

    private static QuarantineRecord record(FileStatus file, String reasonAndMessage) {
        int colon = reasonAndMessage.indexOf(':');
        return new QuarantineRecord(file.getPath().toString(),
                QuarantineReason.valueOf(reasonAndMessage.substring(0, colon)),
                reasonAndMessage.substring(colon + 1), file.getLen());
    }

    private CorpusEntry entry(String base, FileStatus file, Map<String, Integer> classIndex, Split split) {
        String rel = relative(base, file);
        int label = classIndex.get(rel.substring(0, rel.indexOf('/')));
        return new CorpusEntry(file.getPath().toString(), rel, label, split, file.getLen());
    }

    private String relative(String base, FileStatus file) {
        Path qualifiedBase = storage.fs(base).makeQualified(new Path(base));
        String prefix = qualifiedBase.toString();
        String full = file.getPath().toString();
        if (!full.startsWith(prefix)) {
            throw new IllegalStateException(full + " is not below " + prefix);
        }
        String rel = full.substring(prefix.length());
        return rel.startsWith("/") ? rel.substring(1) : rel;
    }

    private List<String> readLines(String uri) {
        List<String> lines = new ArrayList<>();
        for (String line : storage.readString(uri).split("\\R")) {
            String t = line.trim();
            if (!t.isEmpty()) {
                lines.add(t);
            }
        }
        return lines;
    }

    private static Map<String, Integer> index(List<String> classes) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            if (m.putIfAbsent(classes.get(i), i) != null) {
                throw new BadInputException("class '" + classes.get(i) + "' is listed twice in the class list");
            }
        }
        return m;
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String stripExtension(String rel) {
        int dot = rel.lastIndexOf('.');
        return dot < 0 ? rel : rel.substring(0, dot);
    }
}
