package org.sparkcnn.pipeline.ingest;

import org.apache.spark.util.LongAccumulator;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints images done and images/s on the driver every few seconds while the executors decode. */
final class IngestProgress implements AutoCloseable {
    private static final long PERIOD_SECONDS = 5;
    private final ScheduledExecutorService timer;

    private IngestProgress(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static IngestProgress start(PrintStream out, LongAccumulator done, long total) {
        long t0 = System.nanoTime();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ingest-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            long n = done.value();
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf("ingest: %d/%d images decoded, %.1f images/s%n", n, total, n / Math.max(secs, 1e-9));
        }, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
        return new IngestProgress(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
