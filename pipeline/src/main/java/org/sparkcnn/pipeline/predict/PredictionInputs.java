package org.sparkcnn.pipeline.predict;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.sparkcnn.pipeline.storage.Storage;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Expands predict's INPUT arguments into image URIs on the driver: a file stays itself, a folder becomes every
 * file below it, a glob ({@code photos/*.jpg}, {@code s3a://b/in/{a,b}/*}) every file it matches (matched
 * folders expanded too). An input that names nothing is kept as it is, so its row says NOT_FOUND instead of
 * the job dying or the input vanishing. Duplicates are listed once, in the order given.
 */
public final class PredictionInputs {
    private PredictionInputs() {}

    public static List<String> expand(Storage storage, List<String> inputs) {
        Set<String> files = new LinkedHashSet<>();
        for (String input : inputs) {
            if (isGlob(input)) {
                List<FileStatus> matches = storage.glob(input);
                if (matches.isEmpty()) {
                    files.add(input);
                }
                for (FileStatus m : matches) {
                    addFileOrFolder(storage, m.getPath().toString(), m.isDirectory(), files);
                }
            } else {
                String uri = Storage.qualify(input);
                addFileOrFolder(storage, uri, storage.isDirectory(uri), files);
            }
        }
        return new ArrayList<>(files);
    }

    static boolean isGlob(String input) {
        return input.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static void addFileOrFolder(Storage storage, String uri, boolean directory, Set<String> files) {
        if (!directory) {
            files.add(new Path(uri).toString());
            return;
        }
        for (FileStatus f : storage.listFiles(uri, true)) {
            String name = f.getPath().getName();
            if (!name.startsWith(".") && !name.startsWith("_")) {
                files.add(f.getPath().toString());
            }
        }
    }
}
