package org.sparkcnn.pipeline.train.averaging;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.sparkcnn.pipeline.config.JavaCppSizes;
import org.sparkcnn.pipeline.device.GpuChecks;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.model.Network;
import org.sparkcnn.pipeline.model.OneDnnHelpers;
import scala.reflect.ClassTag$;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Checks on the driver before any training: that Spark's serializer round-trips an ND4J array (Kryo with
 * ND4J's registrator), and that the off-heap memory ND4J may use on an executor fits the model, its updater
 * state and gradients, a minibatch's activations and, with the barrier exchange, the copies a round's exchange
 * holds, times the workers that executor runs. {@code train.exchange = barrier} that cannot run fails here too. A misfit is a
 * configuration error (exit 2) that names the setting to raise. Also prints each executor's effective
 * off-heap limits and ND4J backend once.
 */
public final class Preflight {
    private Preflight() {}

    public static void run(JavaSparkContext sc, Network network, InputType input, int batchSize, int workers,
                           org.sparkcnn.pipeline.config.PipelineConfig.Exchange exchange, PrintStream out) {
        checkSerializer(sc.getConf());
        SparkConf conf = sc.getConf();
        boolean barrier = ExchangeChoice.barrier(exchange, conf, workers, roundResultBytes(network));
        boolean inJvm = org.sparkcnn.pipeline.spark.LocalMaster.inDriverJvm(conf.get("spark.master", "local[*]"));
        long perWorker = perWorkerBytes(network, input, batchSize) + exchangeBytes(network, workers, barrier, inJvm);
        boolean local = conf.get("spark.master", "local[*]").startsWith("local");
        int executors = Math.max(0, sc.sc().statusTracker().getExecutorInfos().length - 1);   // less the driver
        int workersPerJvm = local ? workers : workersPerExecutor(conf, conf.get("spark.master", ""), workers, executors,
                sc.defaultParallelism());
        String javaOptions = conf.get("spark.executor.extraJavaOptions", "");
        long executorHeap = conf.getSizeAsBytes("spark.executor.memory", "1g");
        long limit = local ? Pointer.maxBytes() : executorBytes(javaOptions, JavaCppSizes.MAX_BYTES, executorHeap,
                executorHeap);
        long physical = local ? Pointer.maxPhysicalBytes() : executorBytes(javaOptions, JavaCppSizes.MAX_PHYSICAL_BYTES,
                executorHeap, limit > 0 ? limit + 3 * executorHeap : 0);
        String setting = local ? "-Dorg.bytedeco.javacpp.maxbytes of this JVM (PIPELINE_JAVA_OPTS)"
                : JavaCppSizes.spelled(javaOptions, JavaCppSizes.MAX_BYTES) + " in spark.executor.extraJavaOptions";
        if (limit > 0) {   // JavaCPP enforces only a positive limit; 0 turns it off
            checkFits(perWorker, workersPerJvm, limit, setting);
        }
        if (physical > 0) {   // the resident size also holds the heap: this is only the least it must allow
            checkFits(perWorker, workersPerJvm, physical, local
                    ? "-Dorg.bytedeco.javacpp.maxphysicalbytes of this JVM (PIPELINE_JAVA_OPTS)"
                    : JavaCppSizes.spelled(javaOptions, JavaCppSizes.MAX_PHYSICAL_BYTES)
                    + " in spark.executor.extraJavaOptions");
        }
        if (!local && conf.contains("spark.executor.memoryOverhead")) {
            checkFits(perWorker, workersPerJvm, conf.getSizeAsBytes("spark.executor.memoryOverhead"),
                    "spark.executor.memoryOverhead");
        }
        long resultBytes = roundResultBytes(network);
        checkDriver(resultBytes, workers, conf.getSizeAsBytes("spark.driver.maxResultSize", "1g"),
                Runtime.getRuntime().maxMemory(), local, barrier && inJvm);
        out.printf(Locale.ROOT, "preflight: serializer round-trips ND4J arrays; about %s off-heap per worker x %d "
                + "worker(s) per JVM, limit %s; %s per worker result of an averaging round%n", human(perWorker),
                workersPerJvm, limit > 0 ? human(limit) : "none (maxbytes 0)", human(resultBytes));
        reportExecutors(sc, out);
        GpuChecks.memory(sc, perWorkerBytes(network, input, batchSize), workers, out);
    }

    /**
     * How many workers (training tasks) one executor JVM may run at once, from what the cluster manager gives it:
     * {@code spark.executor.cores} when set, else the manager's default (YARN and Kubernetes: 1 core; a standalone
     * worker: all its cores, taken as the registered executors' share of the cluster's cores, or every worker in one
     * JVM before any executor has registered), divided by {@code spark.task.cpus}; never more than the workers.
     */
    static int workersPerExecutor(SparkConf conf, String master, int workers, int registeredExecutors, int clusterCores) {
        int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
        int cores;
        if (conf.contains("spark.executor.cores")) {
            cores = conf.getInt("spark.executor.cores", 1);
        } else if (master.startsWith("spark://")) {
            cores = registeredExecutors > 0 ? (clusterCores + registeredExecutors - 1) / registeredExecutors
                    : workers * taskCpus;
        } else {
            cores = 1;
        }
        return Math.max(1, Math.min(workers, cores / taskCpus));
    }

    /** Parameters, gradients and updater state (4 bytes each) plus one minibatch's training activations. */
    static long perWorkerBytes(Network network, InputType input, int batchSize) {
        long state = network.numParams() * 4L * 2 + network.updaterStateLength() * 4L;
        return state + network.trainingMemoryBytes(input, batchSize);
    }

    /**
     * What a barrier worker holds during an exchange besides its network: its report and the running sum (two
     * copies of parameters and updater state), and through {@code allGather} every worker's decoded report too.
     */
    static long exchangeBytes(Network network, int workers, boolean barrier, boolean inJvm) {
        return barrier ? roundResultBytes(network) * (inJvm ? 2 : 2 + workers) : 0;
    }

    /** What one worker sends back after an averaging round: its parameters and updater state (4 bytes each). */
    static long roundResultBytes(Network network) {
        return (network.numParams() + network.updaterStateLength()) * 4L;
    }

    /**
     * The driver receives every worker's parameters and updater state each round: their total must fit
     * {@code spark.driver.maxResultSize} (0: unlimited), and the driver heap must hold the round's broadcast blocks
     * and the workers' results (summed in worker order, so one that arrives before a lower worker's waits for it:
     * up to all of them at once, {@link WorkerOrderSum}), with 256 MiB to spare. In local mode the same heap also holds
     * every task's serialised result, its stored block and the copy fetched from it, and the round's broadcast value,
     * with 512 MiB to spare (measured: ResNet50 with Adam, 270 MiB per result, 2 workers, ran out of a 3 GiB heap in
     * a test JVM that had run other jobs, and of a 2 GiB one alone). A heap that is too small does not fail cleanly
     * in Spark: the thread fetching results dies and the job waits forever. With {@code handedOver} (barrier jobs in
     * a local master: the workers exchange in the JVM and the last state reaches the driver as an object,
     * {@link InJvmHandOff}) no result carries parameters, and the heap holds only the broadcast's serialised blocks.
     */
    static void checkDriver(long resultBytes, int workers, long maxResultSize, long heapMax, boolean local,
                            boolean handedOver) {
        long results = resultBytes * workers;
        if (handedOver) {
            long heapNeeded = resultBytes + (512L << 20);
            if (heapNeeded > heapMax) {
                throw new BadInputException(String.format(Locale.ROOT,
                        "preflight: the driver needs about %s of heap for each averaging job's broadcast model (%s), "
                                + "but its heap is %s; raise spark.driver.memory (or -Xmx via PIPELINE_JAVA_OPTS when "
                                + "running bin/pipeline) to at least %s", human(heapNeeded), human(resultBytes),
                        human(heapMax), human((long) (heapNeeded * 1.25))));
            }
            return;
        }
        if (maxResultSize > 0 && results > maxResultSize) {
            throw new BadInputException(String.format(Locale.ROOT,
                    "preflight: each averaging round returns about %s to the driver (%s per worker x %d workers), "
                            + "above spark.driver.maxResultSize = %s; raise spark.driver.maxResultSize to at least %s "
                            + "(or 0 for no limit)", human(results), human(resultBytes), workers, human(maxResultSize),
                    human((long) (results * 1.25))));
        }
        long heapNeeded = local
                ? resultBytes * (2 + 4L * workers) + (512L << 20)
                : resultBytes * (1 + workers) + (256L << 20);
        if (heapNeeded > heapMax) {
            throw new BadInputException(String.format(Locale.ROOT,
                    "preflight: the driver needs about %s of heap to receive the workers' parameters each round "
                            + "(%s per worker result), but its heap is %s; raise spark.driver.memory (or -Xmx via "
                            + "PIPELINE_JAVA_OPTS when running bin/pipeline) to at least %s",
                    human(heapNeeded), human(resultBytes), human(heapMax), human((long) (heapNeeded * 1.25))));
        }
    }

    /** Fails with the setting to raise when {@code workers x perWorker} exceeds {@code limit}. */
    static void checkFits(long perWorker, int workers, long limit, String setting) {
        long need = perWorker * workers;
        if (need > limit) {
            throw new BadInputException(String.format(Locale.ROOT,
                    "preflight: training needs about %s of off-heap memory per JVM (%s per worker x %d workers), "
                            + "but %s allows %s; raise %s to at least %s, or lower train.batch-size-per-worker "
                            + "or the workers per executor", human(need), human(perWorker), workers, setting, human(limit),
                    setting, human((long) (need * 1.25))));
        }
    }

    static void checkSerializer(SparkConf conf) {
        INDArray probe = Nd4j.linspace(1, 12, 12).reshape(3, 4);
        INDArray back;
        try {
            SerializerInstance ser = SparkEnv.get() != null ? SparkEnv.get().serializer().newInstance()
                    : new KryoSerializer(conf).newInstance();
            ByteBuffer bytes = ser.serialize(probe, ClassTag$.MODULE$.apply(INDArray.class));
            back = ser.deserialize(bytes, ClassTag$.MODULE$.apply(INDArray.class));
        } catch (Exception e) {
            throw new BadInputException("preflight: Spark's serializer cannot round-trip an ND4J array (" + e
                    + "); set spark.serializer=org.apache.spark.serializer.KryoSerializer and "
                    + "spark.kryo.registrator=org.sparkcnn.pipeline.spark.PipelineKryoRegistrator", e);
        }
        if (!probe.equals(back)) {
            throw new BadInputException("preflight: Spark's serializer changed an ND4J array on a round trip; "
                    + "set spark.kryo.registrator=org.sparkcnn.pipeline.spark.PipelineKryoRegistrator");
        }
    }

    /** One line per executor JVM: its off-heap limits and ND4J backend, as seen inside a task. */
    /** Executor lines this JVM has logged already. */
    private static final java.util.Set<String> LOGGED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Report jobs at most, waiting for executors still joining (see {@link #reportExecutors}). */
    static final int REPORT_ATTEMPTS = 7;

    static void reportExecutors(JavaSparkContext sc, PrintStream out) {
        // A report job's tasks can all land on one executor while another is still joining (seen on a standalone
        // cluster: the second executor was registered, but got no task offer for about a second, while three
        // back-to-back report jobs of 50 ms tasks all ran on the first): jobs again, with growing pauses (at most
        // REPORT_ATTEMPTS jobs and about 5 s), until every executor registered by then has answered.
        Set<String> lines = new TreeSet<>();
        Set<String> reported = new java.util.HashSet<>();
        for (int attempt = 1; attempt <= REPORT_ATTEMPTS; attempt++) {
            for (String line : reportJob(sc)) {
                lines.add(line);
                reported.add(line.substring("executor ".length(), line.indexOf(':')));
            }
            if (reported.size() >= registeredExecutors(sc) || attempt == REPORT_ATTEMPTS) {
                break;
            }
            try {
                Thread.sleep(200L * attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (String line : lines) {
            out.println("preflight: " + line);
        }
    }

    /** Executors registered with the driver (a local master's driver counts as its one executor). */
    private static int registeredExecutors(JavaSparkContext sc) {
        int infos = sc.sc().statusTracker().getExecutorInfos().length;
        return sc.getConf().get("spark.master", "local[*]").startsWith("local") ? 1 : Math.max(1, infos - 1);
    }

    private static List<String> reportJob(JavaSparkContext sc) {
        int n = Math.max(1, sc.defaultParallelism());
        return sc.parallelize(IntStream.range(0, n).boxed().toList(), n).map(i -> {
            String line = String.format(Locale.ROOT, "executor %s: javacpp maxbytes %s, maxphysicalbytes %s, heap max %s, "
                            + "ND4J backend %s (oneDNN helpers %s), OMP_NUM_THREADS %s", SparkEnv.get().executorId(),
                    human(Pointer.maxBytes()), Pointer.maxPhysicalBytes() > 0 ? human(Pointer.maxPhysicalBytes())
                            : "off (no resident-size check)", human(Runtime.getRuntime().maxMemory()),
                    Nd4j.getBackend().getClass().getSimpleName(), OneDnnHelpers.available() ? "on" : "off",
                    System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));
            // once per executor JVM in its own log (the driver prints every executor's line once, below); a local
            // master's executor is the driver itself
            if (!"driver".equals(SparkEnv.get().executorId()) && LOGGED.add(line)) {
                System.err.println("spark-cnn preflight: " + line);
            }
            return line;
        }).collect();
    }

    /**
     * The off-heap limit JavaCPP will set in an executor JVM started with {@code javaOptions}: the value of
     * {@code property} ({@link JavaCppSizes#MAX_BYTES} or {@link JavaCppSizes#MAX_PHYSICAL_BYTES}, either spelling)
     * parsed as JavaCPP 1.5.7's {@code Pointer.parseBytes} does, or {@code fallback} (JavaCPP's default) when absent
     * or empty.
     *
     * <p><b>Percentages.</b> JavaCPP takes {@code 50%} of the executor JVM's {@code Runtime.maxMemory()}, which this
     * driver cannot see. We assume it is {@code spark.executor.memory} ({@code executorHeap}), the {@code -Xmx} Spark
     * starts executors with; {@code Runtime.maxMemory()} can report a little less (e.g. one survivor space less under
     * the parallel collector), so the real limit may be slightly lower than the one checked here.
     *
     * @throws BadInputException naming the option and value when JavaCPP could not parse it (exit 2)
     */
    static long executorBytes(String javaOptions, String property, long executorHeap, long fallback) {
        String value = JavaCppSizes.optionValue(javaOptions, property);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return JavaCppSizes.parse(value, executorHeap);
        } catch (NumberFormatException e) {
            throw new BadInputException("preflight: " + JavaCppSizes.spelled(javaOptions, property) + "=" + value
                    + " in spark.executor.extraJavaOptions is not a size JavaCPP accepts; write " + JavaCppSizes.SYNTAX
                    + " (a percentage is taken of spark.executor.memory, the executor's heap)");
        }
    }

    static String human(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
