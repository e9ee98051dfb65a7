package org.sparkcnn.pipeline.train.averaging;

import org.apache.spark.BarrierTaskContext;

import java.util.List;

/**
 * How the workers of a barrier job tell each other their round: every worker calls {@link #exchange} once per round,
 * in the same order, and gets every worker's report, in worker order. {@link InJvmExchange} where the tasks are
 * threads of one JVM (local masters), {@link AllGatherExchange} through Spark's barrier coordinator elsewhere.
 */
interface WorkerExchange {
    List<WorkerReport> exchange(BarrierTaskContext task, WorkerReport mine);
}
