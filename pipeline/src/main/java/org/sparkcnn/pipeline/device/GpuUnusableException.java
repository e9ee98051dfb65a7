package org.sparkcnn.pipeline.device;

import org.sparkcnn.pipeline.error.BadInputException;

/**
 * A GPU a task would train on cannot be used: the task was given none, the driver, the CUDA/cuDNN libraries or the
 * GPU's compute capability do not fit ND4J's CUDA build, or it lacks the memory. A setup problem, not a pipeline
 * failure: the CLI maps it to exit 2 like every {@link BadInputException}; the message says which GPU, why, and what
 * to change.
 */
public final class GpuUnusableException extends BadInputException {
    public GpuUnusableException(String message) {
        super(message);
    }
}
