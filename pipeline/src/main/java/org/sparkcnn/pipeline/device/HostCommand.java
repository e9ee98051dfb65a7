package org.sparkcnn.pipeline.device;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command of the host (nvidia-smi, ldconfig) with a time limit, keeping at most a bounded amount of its
 * output (stdout and stderr together): a hung driver or a flood of output cannot stall or exhaust the executor.
 */
final class HostCommand {
    /**
     * What the command printed and how it ended.
     *
     * @param exitCode  its exit status; -1 when it was killed at the time limit
     * @param text      its output, decoded as UTF-8, cut at the byte limit
     * @param timedOut  whether it ran past the time limit and was killed
     * @param truncated whether it printed more than the byte limit
     */
    record Output(int exitCode, String text, boolean timedOut, boolean truncated) {}

    private HostCommand() {}

    /** The executable {@code name} resolves to: itself when it holds a '/', else the first on {@code searchPath}. */
    static Optional<Path> resolve(String name, String searchPath) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        for (String dir : (searchPath == null ? "" : searchPath).split(":")) {
            if (dir.isEmpty()) {
                continue;   // an empty PATH entry means the working directory: never searched here
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code command} (its first element an executable path) with stdin closed, waiting at most
     * {@code timeout}, keeping at most {@code maxBytes} of its output.
     *
     * @throws IOException when it cannot be started
     */
    static Output run(List<String> command, Duration timeout, int maxBytes) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        boolean[] truncated = {false};
        Thread reader = new Thread(() -> drain(process.getInputStream(), kept, maxBytes, truncated),
                "host-command " + Path.of(command.get(0)).getFileName());
        reader.setDaemon(true);
        reader.start();
        boolean exited;
        try {
            exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0), e);
        }
        String text;
        synchronized (kept) {
            text = kept.toString(StandardCharsets.UTF_8);
        }
        return new Output(exited ? process.exitValue() : -1, text, !exited, truncated[0]);
    }

    private static void drain(InputStream in, ByteArrayOutputStream kept, int maxBytes, boolean[] truncated) {
        byte[] buffer = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (kept) {
                    int room = maxBytes - kept.size();
                    kept.write(buffer, 0, Math.max(0, Math.min(room, n)));
                    truncated[0] |= n > room;
                }
            }
        } catch (IOException e) {
            // the process went away (killed at the time limit): keep what was read
        }
    }
}
