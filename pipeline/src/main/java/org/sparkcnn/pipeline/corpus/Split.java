package org.sparkcnn.pipeline.corpus;

import java.util.Locale;

/** The three splits of a corpus. */
public enum Split {
    TRAIN, VALIDATION, TEST;

    /** Lower-case name used in folder names and tables. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
