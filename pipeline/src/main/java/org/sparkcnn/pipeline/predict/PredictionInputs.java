package org.sparkcnn.pipeline.predict;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.sparkcnn.pipeline.storage.Storage;

import org.sparkcnn.pipeline.error.BadInputException;

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

    /** The most bytes of driver-local inputs predict ships to the executors. */
    static final long MAX_SHIPPED_BYTES = 256L << 20;

    /**
     * The inputs as executors will get them. With {@code fromDriver} (executors on other machines, local paths not
     * shared), every {@code file:} input that exists on the driver is read there and shipped with its task, so
     * {@code predict photo.jpg} on an edge node classifies that photo instead of reporting it missing; other inputs
     * (and without {@code fromDriver}, all) are read by the executors. Shipping more than {@code maxBytes} in all is a
     * bad input that says to copy the images to the cluster's filesystem.
     */
    public static List<PredictionInput> ship(Storage storage, List<String> files, boolean fromDriver, long maxBytes) {
        List<PredictionInput> out = new ArrayList<>(files.size());
        long total = 0;
        for (String file : files) {
            if (!fromDriver || !file.startsWith("file:") || !storage.exists(file) || storage.isDirectory(file)) {
                out.add(PredictionInput.byPath(file));
                continue;
            }
            total += storage.length(file);
            if (total > maxBytes) {
                throw new BadInputException("predict: the inputs on the driver's local disk add up to more than "
                        + (maxBytes >> 20) + " MiB, more than predict sends from the driver to executors on other "
                        + "machines; copy them to the cluster's filesystem (hdfs://, s3a://) and give that path");
            }
            out.add(new PredictionInput(file, storage.readAll(file)));
        }
        return out;
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
