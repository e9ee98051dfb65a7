package org.sparkcnn.pipeline.train.distributed;

import org.sparkcnn.pipeline.metrics.RoundMetrics;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What the console shows of averaging rounds while an epoch trains. Food-101 has thousands of rounds an epoch, so
 * by default a log gets nothing per round (the epoch line says it all) and a terminal gets one progress line that
 * updates in place; {@code --verbose} ({@code output.verbose}) prints a line per round.
 */
public interface RoundConsole {
    /** A round has ended: {@code m} of {@code rounds} in its epoch. */
    void round(RoundMetrics m, int rounds);

    /** The epoch's rounds are done: whatever the progress line left on screen is cleared. */
    default void endEpoch() {}

    /** A line per round ({@code --verbose}, and what tests and API callers get by default). */
    static RoundConsole lines(PrintStream out) {
        return (m, rounds) -> out.printf(Locale.ROOT, "  epoch %d round %d/%d: %d examples, loss %.4f, %.2f s%n",
                m.epoch(), m.round(), rounds, m.examples(), m.score(), m.seconds());
    }

    /** Nothing per round: the epoch line follows. */
    static RoundConsole silent() {
        return (m, rounds) -> { };
    }

    /** One line rewritten in place with carriage returns, for a terminal. */
    static RoundConsole progress(PrintStream out) {
        return new RoundConsole() {
            private int epoch = -1;
            private long examples;
            private double seconds;
            private int width;

            @Override
            public void round(RoundMetrics m, int rounds) {
                if (m.epoch() != epoch) {
                    epoch = m.epoch();
                    examples = 0;
                    seconds = 0;
                }
                examples += m.examples();
                seconds += m.seconds();
                double perRound = seconds / Math.max(1, m.round());
                String line = String.format(Locale.ROOT, "  epoch %d: round %d/%d, %.0f samples/s, ETA %.0f s",
                        m.epoch(), m.round(), rounds, seconds > 0 ? examples / seconds : 0.0,
                        Math.max(0, rounds - m.round()) * perRound);
                width = Math.max(width, line.length());
                out.print("\r" + line + " ".repeat(width - line.length()));
                out.flush();
            }

            @Override
            public void endEpoch() {
                if (width > 0) {
                    out.print("\r" + " ".repeat(width) + "\r");
                    out.flush();
                    width = 0;
                }
            }
        };
    }

    /** What a run's console gets: every round with {@code verbose}; else a progress line on a terminal, or nothing. */
    static RoundConsole of(PrintStream out, boolean verbose) {
        if (verbose) {
            return lines(out);
        }
        return out == System.out && System.console() != null ? progress(out) : silent();
    }
}
