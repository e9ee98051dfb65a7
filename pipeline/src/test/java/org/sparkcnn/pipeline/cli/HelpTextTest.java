package org.sparkcnn.pipeline.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --help} without a verb: every verb on a line of its own, then examples a newcomer can run. */
class HelpTextTest {
    @Test
    void everyVerbHasOneLineAndTheExamplesFollow() {
        String help = HelpText.general();
        List<String> lines = help.lines().toList();
        for (Verb v : Verb.values()) {
            assertEquals(1, lines.stream().filter(l -> l.startsWith("  " + v.cliName() + " ")).count(), v.cliName());
        }
        assertTrue(help.indexOf("examples:") > help.indexOf("verbs:"), help);
        assertTrue(help.contains("bin/pipeline demo ") && help.contains("bin/pipeline predict --run-id"), help);
    }
}
