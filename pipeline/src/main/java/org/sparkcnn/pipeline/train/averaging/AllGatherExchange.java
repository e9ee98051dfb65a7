package org.sparkcnn.pipeline.train.averaging;

import org.apache.spark.BarrierTaskContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The exchange of a barrier job on executors of their own: {@code BarrierTaskContext.allGather} through the
 * driver's barrier coordinator, reports as strings ({@link WorkerReport#encode}).
 *
 * <p>Spark 3.5's barrier call checks for the coordinator's reply, then sleeps a whole second before checking
 * again; an interrupt ends the sleep early (it then checks for a kill and for the reply). Waiting up to a second per
 * averaging round would cost more than the Spark job per round this exchange replaces, so while the call is in
 * flight a nudger thread interrupts the task thread every {@link #NUDGE_NANOS}, and only then: the interrupt is
 * sent under a lock that the task takes, to mark the call over, before it clears its interrupt flag. Clearing it
 * loses no kill: Spark marks a killed task's context, which the call and the fitting loop check.
 */
final class AllGatherExchange implements WorkerExchange {
    static final long NUDGE_NANOS = 200_000;

    @Override
    public List<WorkerReport> exchange(BarrierTaskContext task, WorkerReport mine) {
        String report = mine.encode();
        String[] messages = nudged(() -> task.allGather(report));
        List<WorkerReport> reports = new ArrayList<>(messages.length);
        for (String m : messages) {
            reports.add(WorkerReport.decode(m));
        }
        return reports;
    }

    /** Runs {@code call} on this thread while another interrupts it every {@link #NUDGE_NANOS} until it returns. */
    static <T> T nudged(java.util.function.Supplier<T> call) {
        Thread caller = Thread.currentThread();
        Object lock = new Object();
        boolean[] over = {false};
        Thread nudger = new Thread(() -> {
            while (true) {
                LockSupport.parkNanos(NUDGE_NANOS);
                synchronized (lock) {
                    if (over[0]) {
                        return;
                    }
                    caller.interrupt();
                }
            }
        }, "barrier-round-nudger");
        nudger.setDaemon(true);
        nudger.start();
        try {
            return call.get();
        } finally {
            synchronized (lock) {
                over[0] = true;
            }
            Thread.interrupted();
        }
    }
}
