package org.sparkcnn.pipeline.train.averaging;

import org.apache.spark.SparkConf;
import org.sparkcnn.pipeline.config.PipelineConfig.Exchange;
import org.sparkcnn.pipeline.error.InvalidConfigException;
import org.sparkcnn.pipeline.spark.LocalMaster;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * Decides how {@code spark-averaging} exchanges parameters ({@code train.exchange}), before any compute. A barrier
 * job needs all its workers running at once and a fixed set of executors, and passes every worker's state through
 * the driver's RPC endpoint: {@code barrier} is checked against the task slots of a local master,
 * {@code spark.dynamicAllocation.enabled} and {@code spark.rpc.message.maxSize}; {@code auto} picks barrier only
 * where those cannot fail (a local master with enough threads, no dynamic allocation).
 */
final class ExchangeChoice {
    private ExchangeChoice() {}

    /** True for the barrier exchange; throws naming the key when {@code train.exchange = barrier} cannot run. */
    static boolean barrier(Exchange exchange, SparkConf conf, int workers, long stateBytes) {
        if (exchange == Exchange.JOB_PER_ROUND) {
            return false;
        }
        String master = conf.get("spark.master", "local[*]");
        boolean dynamic = conf.getBoolean("spark.dynamicAllocation.enabled", false);
        OptionalInt threads = LocalMaster.threads(master);
        int slots = threads.isPresent() ? threads.getAsInt() / Math.max(1, conf.getInt("spark.task.cpus", 1)) : -1;
        if (exchange == Exchange.AUTO) {
            return threads.isPresent() && workers <= slots && !dynamic;
        }
        if (dynamic) {
            throw new InvalidConfigException("train.exchange", "value 'barrier' cannot run with "
                    + "spark.dynamicAllocation.enabled = true (a barrier job needs a fixed set of executors); "
                    + "disable dynamic allocation or set train.exchange = job-per-round");
        }
        if (threads.isPresent() && workers > slots) {
            throw new InvalidConfigException("train.workers", String.format(Locale.ROOT, "%d workers, but master %s "
                    + "runs %d task(s) at once and train.exchange = barrier runs all workers together; set "
                    + "train.workers to at most %d or train.exchange = job-per-round", workers, master, slots, slots));
        }
        long wire = 2 * stateBytes * workers + (1L << 20);
        long limit = conf.getSizeAsMb("spark.rpc.message.maxSize", "128") << 20;
        if (threads.isEmpty() && wire > limit) {
            throw new InvalidConfigException("train.exchange", String.format(Locale.ROOT, "value 'barrier' sends "
                    + "every worker up to %d MiB per round (2 x %d MiB of parameters and updater state x %d workers), "
                    + "above spark.rpc.message.maxSize = %d MiB; raise spark.rpc.message.maxSize to at least %d "
                    + "or set train.exchange = job-per-round", wire >> 20, stateBytes >> 20, workers, limit >> 20,
                    (wire >> 20) + 1));
        }
        return true;
    }
}
