package org.sparkcnn.pipeline.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Checkpoints under {@code checkpoints/}: {@code epoch-NNNN/model.zip} (network with updater state) and
 * {@code epoch-NNNN/state.json} (the trainer's state, with the model file's SHA-256 and what it was trained on),
 * published by replacing the small pointer file {@code latest} last (atomically, see {@link Storage}), so a
 * crash at any point leaves the previous checkpoint the valid one. {@code best} names the best epoch by the
 * monitored metric, {@code final} the run's result.
 *
 * <p>Everything here is read back as input: a pointer must hold a checkpoint name ({@link
 * RunLayout#checkpointOfPointer}), a model file must match the digest its state recorded before it is
 * deserialised, and a checkpoint is used only with the ingest it was trained on ({@link #requireTrainedOn}).
 */
public final class CheckpointStore {
    private final Storage storage;
    private final RunLayout run;

    public CheckpointStore(Storage storage, RunLayout run) {
        this.storage = storage;
        this.run = run;
    }

    public static String name(int epoch) {
        return String.format(Locale.ROOT, "epoch-%04d", epoch);
    }

    /** The model file inside a checkpoint directory. */
    public static final String MODEL_FILE = "model.zip";

    private static final List<String> POINTERS = List.of("latest", "best", "final");

    public String modelUri(String checkpoint) {
        return Storage.join(run.checkpoints(), requireName(checkpoint), MODEL_FILE);
    }

    private String stateUri(String checkpoint) {
        return Storage.join(run.checkpoints(), requireName(checkpoint), "state.json");
    }

    /** A checkpoint name, checked: callers pass names from pointers, selectors and folder listings. */
    private String requireName(String checkpoint) {
        if (!RunLayout.isCheckpointName(checkpoint)) {
            throw new BadInputException("'" + checkpoint + "' is not a checkpoint name of run " + run.root()
                    + " (epoch-NNNN or epoch-NNNN-round-NNNNN)");
        }
        return checkpoint;
    }

    private String pointer(String which) {
        return Storage.join(run.checkpoints(), which);
    }

    /** Name of a mid-epoch checkpoint taken after {@code round} rounds of {@code epoch}. */
    public static String midEpochName(int epoch, int round) {
        return String.format(Locale.ROOT, "epoch-%04d-round-%05d", epoch, round);
    }

    public void save(Network network, TrainerState state, boolean best) {
        save(network, state, best, state.roundsDone() > 0 ? midEpochName(state.epoch() + 1, state.roundsDone())
                : name(state.epoch()));
    }

    private void save(Network network, TrainerState state, boolean best, String checkpoint) {
        MessageDigest md = sha256();
        long[] length = new long[1];
        storage.writeAtomically(modelUri(checkpoint), out -> {
            OutputStream digesting = new DigestOutputStream(new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    length[0] += len;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    length[0]++;
                }
            }, md);
            network.write(digesting, true);
            digesting.flush();
        });
        TrainerState recorded = state.withModel(HexFormat.of().formatHex(md.digest()), length[0]);
        try {
            storage.writeAtomically(stateUri(checkpoint), ManifestStore.JSON.writeValueAsBytes(recorded));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (best) {
            storage.writeString(pointer("best"), checkpoint + "\n");
        }
        storage.writeString(pointer("latest"), checkpoint + "\n");
    }

    /**
     * Deletes epoch checkpoints older than the newest {@code keepLast}, never the ones {@code best}, {@code final}
     * or {@code latest} name; {@code keepLast = 0} keeps everything.
     */
    public void prune(int keepLast) {
        if (keepLast <= 0) {
            return;
        }
        Set<String> pinned = new HashSet<>();
        for (String p : POINTERS) {
            resolve(p).ifPresent(pinned::add);
        }
        List<String> epochs = storage.listDirectoryNames(run.checkpoints()).stream()
                .filter(n -> n.matches("epoch-\\d{4,}")).sorted().toList();
        for (int i = 0; i < epochs.size() - keepLast; i++) {
            if (!pinned.contains(epochs.get(i))) {
                storage.delete(Storage.join(run.checkpoints(), epochs.get(i)));
            }
        }
        // Mid-epoch checkpoints are superseded once their epoch has an epoch checkpoint.
        String last = epochs.isEmpty() ? "" : epochs.get(epochs.size() - 1);
        for (String mid : storage.listDirectoryNames(run.checkpoints())) {
            if (mid.matches("epoch-\\d{4,}-round-\\d+") && mid.substring(0, mid.indexOf("-round")).compareTo(last) <= 0
                    && !pinned.contains(mid)) {
                storage.delete(Storage.join(run.checkpoints(), mid));
            }
        }
    }

    /** Checkpoint folders present, whether or not a pointer names them. */
    public List<String> folders() {
        return storage.listDirectoryNames(run.checkpoints()).stream().filter(RunLayout::isCheckpointName).toList();
    }

    /**
     * Removes every checkpoint and pointer of the run: {@code latest} first, so a crash midway leaves a run that
     * starts afresh, never one that resumes from a half-deleted checkpoint. Returns how many folders it removed.
     */
    public int removeAll() {
        int n = folders().size();
        for (String p : POINTERS) {
            storage.delete(pointer(p));
        }
        storage.delete(run.checkpoints());
        return n;
    }

    /** Points {@code final} at the checkpoint that is the run's result (written when training ends). */
    public void markFinal(String checkpoint) {
        storage.writeString(pointer("final"), requireName(checkpoint) + "\n");
    }

    /** The run's result: {@code final} when training has ended, else {@code latest}. */
    public Optional<String> resolveFinal() {
        return resolve("final").or(() -> resolve("latest"));
    }

    /**
     * A selector ({@code final}, {@code latest}, {@code best} or a checkpoint name such as {@code epoch-0003})
     * to a checkpoint name, or a clear error.
     */
    public String select(String selector) {
        Optional<String> name = switch (selector) {
            case "final" -> resolveFinal();
            case "latest", "best" -> resolve(selector);
            default -> RunLayout.isCheckpointName(selector) && storage.exists(modelUri(selector))
                    ? Optional.of(selector) : Optional.empty();
        };
        return name.orElseThrow(() -> new BadInputException("run " + run.root() + " has no checkpoint '" + selector
                + "' (use final, latest, best or epoch-NNNN; train the run first)"));
    }

    /** The checkpoint name a pointer ({@code latest}, {@code best} or {@code final}) names, if it exists. */
    public Optional<String> resolve(String which) {
        String p = pointer(which);
        if (!storage.exists(p)) {
            return Optional.empty();
        }
        return Optional.of(RunLayout.checkpointOfPointer(new String(read(p), java.nio.charset.StandardCharsets.UTF_8), p));
    }

    /**
     * The checkpoint's network. Its bytes are checked against the digest its {@code state.json} recorded before
     * anything is deserialised: a truncated, corrupt or replaced model file is a bad input naming the file.
     */
    public Network loadModel(String checkpoint) {
        String uri = modelUri(checkpoint);
        if (!storage.exists(uri)) {
            throw new BadInputException("checkpoint " + uri + " does not exist");
        }
        byte[] bytes = read(uri);
        Optional<TrainerState> state = storage.exists(stateUri(checkpoint)) ? Optional.of(loadState(checkpoint))
                : Optional.empty();
        if (state.isPresent() && state.get().modelSha256() != null) {
            String sha = HexFormat.of().formatHex(sha256().digest(bytes));
            if (bytes.length != state.get().modelBytes() || !sha.equals(state.get().modelSha256())) {
                throw new BadInputException("checkpoint " + uri + " is corrupt: " + bytes.length + " bytes with SHA-256 "
                        + sha + ", but its state.json recorded " + state.get().modelBytes() + " bytes with SHA-256 "
                        + state.get().modelSha256() + " (truncated, damaged or replaced after it was written); use "
                        + "another checkpoint (--checkpoint epoch-NNNN, or write its name into checkpoints/latest "
                        + "to resume from it), or start the training over with --overwrite");
            }
        }
        try {
            return Network.read(bytes, true, uri);
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException("checkpoint " + uri + " is not a readable DL4J model (" + e
                    + "); use another checkpoint, or start the training over with --overwrite", e);
        }
    }

    public TrainerState loadState(String checkpoint) {
        String uri = stateUri(checkpoint);
        try {
            return ManifestStore.JSON.readValue(read(uri), TrainerState.class);
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("checkpoint state " + uri + " is unreadable (" + e.getMessage()
                    + "); use another checkpoint, or start the training over with --overwrite", e);
        }
    }

    /**
     * Refuses a checkpoint trained on another ingest than the run's committed one (the run was re-ingested with
     * other classes, image size, split or corpus since), saying what changed and what to do. Checkpoints written
     * before checkpoints recorded their ingest, and model files without a {@code state.json}, pass.
     */
    public void requireTrainedOn(String checkpoint, ShardManifest manifest, String verb) {
        if (!storage.exists(stateUri(checkpoint))) {
            return;   // a model file placed by hand: nothing recorded to check against
        }
        TrainerState state = loadState(checkpoint);
        if (state.ingestHash() == null || state.ingestHash().equals(manifest.dataHash())) {
            return;
        }
        String what = !state.classes().equals(manifest.classes())
                ? "its classes were " + abbreviate(state.classes()) + ", the ingest now has " + abbreviate(manifest.classes())
                : "the classes are the same, but the shards differ (another image size, split, seed or corpus)";
        throw new BadInputException(verb + ": checkpoint " + checkpoint + " of run " + run.root()
                + " was trained on another ingest than the run's current one (re-ingested since: " + what + "). "
                + (verb.equals("train")
                ? "Pass --overwrite to start the training over on the new ingest, or use another run.id."
                : "Train the run again on the new ingest (train --overwrite), or use another run.id."));
    }

    /**
     * A checkpoint file's bytes. A file that fails the filesystem's own checksum (Hadoop's {@code .crc} files on a
     * local disk, HDFS block checksums) was damaged or edited after it was written: a bad input naming it.
     */
    private byte[] read(String uri) {
        try {
            return storage.readAll(uri);
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof org.apache.hadoop.fs.ChecksumException) {
                throw new BadInputException(uri + " is corrupt: it fails its filesystem checksum ("
                        + e.getCause().getMessage() + "); it was damaged or edited after it was written: use another "
                        + "checkpoint, or start the training over with --overwrite", e);
            }
            throw e;
        }
    }

    private static String abbreviate(List<String> classes) {
        return classes.size() <= 6 ? classes.toString()
                : classes.size() + " classes " + classes.subList(0, 5) + "...";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
