/**
 * Error types that carry a meaning for the user: {@link org.sparkcnn.pipeline.error.BadInputException}
 * (exit code 2: bad configuration, corpus or arguments) and its config-specific subtype. Any other
 * exception is a pipeline failure (exit code 1).
 */
package org.sparkcnn.pipeline.error;
