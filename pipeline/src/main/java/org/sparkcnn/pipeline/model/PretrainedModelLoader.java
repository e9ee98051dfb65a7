package org.sparkcnn.pipeline.model;

import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the network {@code model.init} names, through {@link Storage} (file:, hdfs:, s3a:): a DL4J
 * ModelSerializer zip (MultiLayerNetwork or ComputationGraph, e.g. a zoo model's weights file), a checkpoint
 * folder holding {@code model.zip}, a checkpoint pointer file ({@code <run>/checkpoints/best}, {@code latest},
 * {@code final}), or a run folder (its {@code final}, else {@code latest} checkpoint). The updater state is not
 * loaded: fine-tuning starts its optimiser afresh.
 */
public final class PretrainedModelLoader {
    private static final String KEY = "model.init";

    private PretrainedModelLoader() {}

    public static Network load(Storage storage, String init) {
        String uri = Storage.qualify(init);
        return read(storage, modelZip(storage, uri), uri);
    }

    /** The model zip that {@code uri} stands for. */
    static String modelZip(Storage storage, String uri) {
        if (!storage.exists(uri)) {
            throw new BadInputException(KEY + " = " + uri + " does not exist (give a checkpoint folder, a checkpoint "
                    + "pointer such as <run>/checkpoints/best, a run folder or a DL4J model .zip)");
        }
        if (storage.isDirectory(uri)) {
            String zip = Storage.join(uri, "model.zip");
            if (storage.exists(zip)) {
                return zip;
            }
            String checkpoints = Storage.join(uri, "checkpoints");
            for (String pointer : new String[]{"final", "latest"}) {
                String p = Storage.join(checkpoints, pointer);
                if (storage.exists(p)) {
                    return modelZip(storage, p);
                }
            }
            throw new BadInputException(KEY + " = " + uri + " is a folder without model.zip or checkpoints/final|latest "
                    + "(give a checkpoint folder such as <run>/checkpoints/epoch-0005, or a run folder)");
        }
        if (isZip(storage, uri)) {
            return uri;
        }
        // A pointer file: one line naming a sibling checkpoint folder.
        String content = storage.readString(uri);
        if (!RunLayout.isCheckpointName(content.strip())) {
            throw new BadInputException(KEY + " = " + uri + " is neither a DL4J model zip nor a checkpoint pointer "
                    + "(it does not start with a zip header and does not name an epoch-NNNN checkpoint)");
        }
        String name = RunLayout.checkpointOfPointer(content, uri);
        String parent = uri.substring(0, uri.lastIndexOf('/'));
        String zip = Storage.join(parent, name, "model.zip");
        if (!storage.exists(zip)) {
            throw new BadInputException(KEY + " = " + uri + " points at checkpoint " + name + ", but " + zip
                    + " does not exist");
        }
        return zip;
    }

    private static boolean isZip(Storage storage, String uri) {
        try (InputStream in = storage.open(uri)) {
            byte[] head = in.readNBytes(2);
            return new String(head, StandardCharsets.ISO_8859_1).equals("PK");
        } catch (IOException e) {
            throw new BadInputException(KEY + " = " + uri + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static Network read(Storage storage, String zip, String init) {
        try (InputStream in = storage.open(zip)) {
            return Network.read(in, false, zip);
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException(KEY + " = " + init + ": " + zip + " is not a readable DL4J model ("
                    + e.getMessage() + "); write it with ModelSerializer.writeModel", e);
        }
    }
}
