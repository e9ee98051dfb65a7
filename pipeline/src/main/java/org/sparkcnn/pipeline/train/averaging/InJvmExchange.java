package org.sparkcnn.pipeline.train.averaging;

import org.apache.spark.BarrierTaskContext;
import org.apache.spark.TaskKilledException;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exchange of a barrier job whose tasks are threads of this JVM (a local master): a rendezvous per stage
 * attempt where each round's reports are handed over as objects, with nothing serialised. Spark launches a barrier
 * stage's tasks together and, when one fails, marks the others killed; a worker waiting here checks for that every
 * 50 ms and leaves with {@link TaskKilledException}, so a failed attempt never hangs. A stage attempt's rendezvous
 * is dropped when the last of its tasks that joined it ends.
 */
public final class InJvmExchange implements WorkerExchange {
    private static final Map<String, Rendezvous> OPEN = new ConcurrentHashMap<>();
    private Rendezvous joined;

    @Override
    public List<WorkerReport> exchange(BarrierTaskContext task, WorkerReport mine) {
        if (joined == null) {
            String key = task.stageId() + "." + task.stageAttemptNumber();
            int workers = task.getTaskInfos().length;
            joined = OPEN.compute(key, (k, r) -> (r == null ? new Rendezvous(workers) : r).join());
            Rendezvous r = joined;
            task.addTaskCompletionListener(t -> {
                if (r.leave()) {
                    OPEN.remove(key, r);
                }
            });
        }
        return joined.exchange(task, mine);
    }

    /** Rendezvous of stage attempts still open (tests). */
    public static int open() {
        return OPEN.size();
    }

    private static final class Rendezvous {
        private final int workers;
        private WorkerReport[] arriving;
        private List<WorkerReport> completed;
        private int arrived;
        private long generation;
        private int members;

        Rendezvous(int workers) {
            this.workers = workers;
            this.arriving = new WorkerReport[workers];
        }

        synchronized Rendezvous join() {
            members++;
            return this;
        }

        /** True when the last member has left. */
        synchronized boolean leave() {
            return --members == 0;
        }

        synchronized List<WorkerReport> exchange(BarrierTaskContext task, WorkerReport mine) {
            long round = generation;
            arriving[task.partitionId()] = mine;
            if (++arrived == workers) {
                // a round's result stays until the next round completes, which needs every worker back here
                completed = Arrays.asList(arriving);
                arriving = new WorkerReport[workers];
                arrived = 0;
                generation++;
                notifyAll();
                return completed;
            }
            while (generation == round) {
                if (task.isInterrupted()) {
                    throw new TaskKilledException("barrier round abandoned: another worker of the stage failed");
                }
                try {
                    wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TaskKilledException("interrupted while waiting for the other workers");
                }
            }
            return completed;
        }
    }
}
