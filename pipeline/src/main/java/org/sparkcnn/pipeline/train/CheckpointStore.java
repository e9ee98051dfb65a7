package org.sparkcnn.pipeline.train;

import org.sparkcnn.pipeline.model.Network;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Checkpoints under {@code checkpoints/}: {@code epoch-NNNN/model.zip} (network with updater state) and
 * {@code epoch-NNNN/state.json}, published by rewriting the small pointer file {@code latest} last, so a
 * crash mid-write leaves the previous checkpoint the valid one (also on S3, which has no atomic rename).
 * {@code best} names the best epoch by the monitored metric, {@code final} the run's result.
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

    public String modelUri(String checkpoint) {
        return Storage.join(run.checkpoints(), checkpoint, MODEL_FILE);
    }

    private String stateUri(String checkpoint) {
        return Storage.join(run.checkpoints(), checkpoint, "state.json");
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
        storage.writeAtomically(modelUri(checkpoint), out -> network.write(out, true));
        try {
            storage.writeAtomically(stateUri(checkpoint), ManifestStore.JSON.writeValueAsBytes(state));
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
        java.util.Set<String> pinned = new java.util.HashSet<>();
        for (String p : java.util.List.of("best", "final", "latest")) {
            resolve(p).ifPresent(pinned::add);
        }
        java.util.List<String> epochs = storage.listDirectoryNames(run.checkpoints()).stream()
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

    /** Points {@code final} at the checkpoint that is the run's result (written when training ends). */
    public void markFinal(String checkpoint) {
        storage.writeString(pointer("final"), checkpoint + "\n");
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
            default -> storage.exists(modelUri(selector)) ? Optional.of(selector) : Optional.empty();
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
        return Optional.of(storage.readString(p).trim());
    }

    public Network loadModel(String checkpoint) {
        String uri = modelUri(checkpoint);
        if (!storage.exists(uri)) {
            throw new BadInputException("checkpoint " + uri + " does not exist");
        }
        try (InputStream in = storage.open(uri)) {
            return Network.read(in, true, uri);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + uri, e);
        }
    }

    public TrainerState loadState(String checkpoint) {
        try {
            return ManifestStore.JSON.readValue(storage.readAll(stateUri(checkpoint)), TrainerState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint state " + stateUri(checkpoint), e);
        }
    }
}
