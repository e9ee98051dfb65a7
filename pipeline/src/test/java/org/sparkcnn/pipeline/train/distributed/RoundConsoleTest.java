package org.sparkcnn.pipeline.train.distributed;

import org.junit.jupiter.api.Test;
import org.sparkcnn.pipeline.metrics.RoundMetrics;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quiet by default: nothing per round in a log, one line in place on a terminal, every round with --verbose. */
class RoundConsoleTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true);

    private static RoundMetrics round(int r, double seconds) {
        return new RoundMetrics("run", 2, r, 0.5, 100, seconds, 60);
    }

    @Test
    void verboseIsALinePerRound() {
        RoundConsole c = RoundConsole.of(out, true);
        c.round(round(1, 0.5), 3);
        c.round(round(2, 0.5), 3);
        assertEquals(2, bytes.toString().lines().filter(l -> l.startsWith("  epoch 2 round ")).count(), bytes.toString());
    }

    @Test
    void aLogGetsNothingPerRound() {
        RoundConsole c = RoundConsole.of(out, false);   // not the terminal's System.out
        c.round(round(1, 0.5), 3);
        c.endEpoch();
        assertEquals("", bytes.toString());
    }

    @Test
    void aTerminalGetsOneLineRewrittenInPlaceAndClearedAtTheEpochsEnd() {
        RoundConsole c = RoundConsole.progress(out);
        c.round(round(1, 0.5), 4);
        c.round(round(2, 0.5), 4);
        String shown = bytes.toString();
        assertEquals(0, shown.chars().filter(ch -> ch == '\n').count(), "no new lines: " + shown);
        assertTrue(shown.contains("\r  epoch 2: round 2/4, 200 samples/s, ETA 1 s"), shown);
        c.endEpoch();
        assertTrue(bytes.toString().endsWith("\r"), "the line is cleared for the epoch line");
    }
}
