package org.sparkcnn.pipeline.checkpoint;

import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

/**
 * Which model predicts, and the run it belongs to: the run's manifest and preprocessing.json fix the input
 * shape, resize mode and rescaling, so a user never re-types them. Either a run and a checkpoint selector
 * ({@code --run-id R --checkpoint best}), or a saved model's path ({@code --model <run>/checkpoints/epoch-0003},
 * its {@code model.zip}, or a pointer such as {@code <run>/checkpoints/best}).
 */
public record ModelSource(RunLayout run, String checkpoint) {

    public static ModelSource ofRun(Storage storage, RunLayout run, String selector) {
        return new ModelSource(run, new CheckpointStore(storage, run).select(selector));
    }

    /** A checkpoint directory, its {@code model.zip}, or a pointer file, inside a run's {@code checkpoints/}. */
    public static ModelSource ofPath(Storage storage, String path) {
        String uri = Storage.qualify(path).replaceAll("/+$", "");
        if (uri.endsWith("/" + CheckpointStore.MODEL_FILE)) {
            uri = uri.substring(0, uri.length() - CheckpointStore.MODEL_FILE.length() - 1);
        }
        int nameAt = uri.lastIndexOf('/');
        String name = uri.substring(nameAt + 1);
        String checkpoints = uri.substring(0, Math.max(0, nameAt));
        int runAt = checkpoints.lastIndexOf('/');
        if (nameAt <= 0 || runAt <= 0 || !checkpoints.endsWith("/checkpoints")) {
            throw notACheckpoint(path);
        }
        String runRoot = checkpoints.substring(0, runAt);
        int warehouseAt = runRoot.lastIndexOf('/');
        RunLayout run = RunLayout.of(runRoot.substring(0, warehouseAt), runRoot.substring(warehouseAt + 1));
        CheckpointStore store = new CheckpointStore(storage, run);
        if (RunLayout.isCheckpointName(name) && storage.exists(store.modelUri(name))) {
            return new ModelSource(run, name);
        }
        if (storage.exists(uri) && !storage.isDirectory(uri)) {
            return new ModelSource(run, store.select(name));
        }
        throw notACheckpoint(path);
    }

    private static BadInputException notACheckpoint(String path) {
        return new BadInputException("--model " + path + " is not a checkpoint of a run: give <run>/checkpoints/epoch-NNNN, "
                + "its model.zip, or <run>/checkpoints/best|latest|final (the run's manifest.json and preprocessing.json "
                + "say how to prepare the images), or use --run-id R [--checkpoint C]");
    }
}
