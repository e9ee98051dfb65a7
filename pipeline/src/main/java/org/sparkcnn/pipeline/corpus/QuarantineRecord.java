package org.sparkcnn.pipeline.corpus;

import java.io.Serializable;

/** One rejected input: one row of the quarantine table. {@code sizeBytes} is -1 when unknown. */
public record QuarantineRecord(String path, QuarantineReason reason, String message, long sizeBytes)
        implements Serializable {}
