package org.sparkcnn.pipeline.train.averaging;

import java.io.Serializable;

/**
 * One averaging round of a barrier job as every worker saw it after the exchange (0-based {@code round}): the
 * workers' minibatch loss sum, examples, minibatches and correctly classified examples, and its wall seconds on
 * worker 0.
 */
record BarrierRound(int round, double lossSum, long examples, long minibatches, long correct, double seconds)
        implements Serializable {}
