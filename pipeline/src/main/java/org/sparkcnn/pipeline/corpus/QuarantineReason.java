package org.sparkcnn.pipeline.corpus;

/** Why an input did not become an example. Every listed input that is not written has one. */
public enum QuarantineReason {
    EMPTY_FILE,
    CORRUPT,
    NOT_AN_IMAGE,
    UNSUPPORTED_FORMAT,
    TOO_FEW_PIXELS,
    TOO_MANY_PIXELS,
    /** The file is larger than any image ingest reads (see the ingest package). */
    TOO_LARGE,
    UNREADABLE,
    MISSING,
    UNKNOWN_CLASS,
    DUPLICATE,
    UNSAFE_PATH,
    UNLISTED
}
