package org.sparkcnn.jobs.cluster;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A one-node YARN cluster (MiniYARNCluster: a ResourceManager and one NodeManager, in this JVM) over a one-DataNode
 * HDFS (MiniDFSCluster), both on 127.0.0.1, and the client configuration a spark-submit needs ({@link #confDir()},
 * for {@code HADOOP_CONF_DIR} / {@code YARN_CONF_DIR}). Containers are real processes the NodeManager launches.
 *
 * <p>As in Spark's own YARN test suite: the capacity scheduler's queue is configured here (hadoop-client-minicluster
 * has no capacity-scheduler.xml), the NodeManager's disk check is relaxed, and so are its memory checks (physical and
 * virtual), as ND4J's off-heap memory is not part of a container's JVM heap.
 */
public final class YarnHdfsCluster implements AutoCloseable {
    private final MiniDFSCluster hdfs;
    private final MiniYARNCluster yarn;
    private final YarnClient client;
    private final Path confDir;
    private final Path workDir;

    private YarnHdfsCluster(MiniDFSCluster hdfs, MiniYARNCluster yarn, YarnClient client, Path confDir, Path workDir) {
        this.hdfs = hdfs;
        this.yarn = yarn;
        this.client = client;
        this.confDir = confDir;
        this.workDir = workDir;
    }

    /**
     * Starts HDFS, then YARN with a NodeManager of {@code nodeMemoryMb}, and writes the client configuration.
     *
     * @param dir where HDFS keeps its blocks and the client configuration is written
     */
    public static YarnHdfsCluster start(String name, Path dir, int nodeMemoryMb) throws IOException, InterruptedException {
        Configuration dfsConf = new Configuration();
        dfsConf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        dfsConf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        dfsConf.set("dfs.datanode.address", "127.0.0.1:0");
        dfsConf.set("dfs.datanode.http.address", "127.0.0.1:0");
        dfsConf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        dfsConf.set("dfs.namenode.http-address", "127.0.0.1:0");
        MiniDFSCluster hdfs = new MiniDFSCluster.Builder(dfsConf).numDataNodes(1).format(true).build();
        MiniYARNCluster yarn = null;
        YarnClient client = null;
        try {
            hdfs.waitActive();
            String defaultFs = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();

            YarnConfiguration conf = new YarnConfiguration();
            conf.set("fs.defaultFS", defaultFs);
            conf.set("yarn.resourcemanager.hostname", "127.0.0.1");
            // MiniYARNCluster gives its NodeManagers yarn.minicluster.* resources (4096 MB, 8 vcores by default).
            conf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, nodeMemoryMb);
            conf.setInt(YarnConfiguration.NM_PMEM_MB, nodeMemoryMb);
            conf.setInt(YarnConfiguration.NM_VCORES, 8);
            conf.setInt("yarn.scheduler.minimum-allocation-mb", 128);
            conf.setInt("yarn.scheduler.maximum-allocation-mb", nodeMemoryMb);
            conf.setBoolean("yarn.nodemanager.pmem-check-enabled", false);
            conf.setBoolean("yarn.nodemanager.vmem-check-enabled", false);
            conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
            conf.setInt("yarn.nodemanager.disk-health-checker.min-free-space-per-disk-mb", 0);
            // Two attempts, YARN's default, stated: an application that succeeds must do so in the first.
            conf.setInt("yarn.resourcemanager.am.max-attempts", 2);
            // Containers are allocated on NodeManager heartbeats: 1 s by default.
            conf.setInt("yarn.resourcemanager.nodemanagers.heartbeat-interval-ms", 250);
            conf.set("yarn.scheduler.capacity.root.queues", "default");
            conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
            conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
            conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
            conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
            conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
            conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
            conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
            // The AM's share of the queue: the default 10 % of the node would not fit one driver.
            conf.setFloat("yarn.scheduler.capacity.maximum-am-resource-percent", 0.5f);

            // MiniYARNCluster works under target/test/data/<name>/yarn-<random>: keep only this run's there.
            deleteRecursively(workDir(name));
            yarn = new MiniYARNCluster(name, 1, 1, 1);
            yarn.init(conf);
            yarn.start();
            awaitResourceManagerAddress(yarn.getConfig(), Duration.ofSeconds(30));

            Path confDir = Files.createDirectories(dir.resolve("hadoop-conf"));
            Configuration core = new Configuration(false);
            core.set("fs.defaultFS", defaultFs);
            core.setInt("dfs.replication", 1);
            writeXml(core, confDir.resolve("core-site.xml"));
            Configuration yarnSite = new Configuration(false);
            for (Map.Entry<String, String> e : yarn.getConfig()) {
                if (e.getKey().startsWith("yarn.")) {
                    yarnSite.set(e.getKey(), e.getValue());
                }
            }
            writeXml(yarnSite, confDir.resolve("yarn-site.xml"));

            client = YarnClient.createYarnClient();
            client.init(yarn.getConfig());
            client.start();
            return new YarnHdfsCluster(hdfs, yarn, client, confDir, workDir(name));
        } catch (IOException | RuntimeException | InterruptedException e) {
            if (client != null) {
                client.stop();
            }
            if (yarn != null) {
                yarn.stop();
            }
            hdfs.shutdown(true);
            throw e;
        }
    }

    /** MiniYARNCluster may return from start() before the RM has put its bound port into the configuration. */
    private static void awaitResourceManagerAddress(Configuration conf, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (conf.get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the ResourceManager did not report its address within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private static Path workDir(String name) {
        return Path.of(System.getProperty("test.build.data", "target/test/data"), name).toAbsolutePath();
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void writeXml(Configuration conf, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            conf.writeXml(out);
        }
    }

    /** e.g. {@code hdfs://127.0.0.1:41234} */
    public String hdfsUri() {
        return "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
    }

    public FileSystem fileSystem() throws IOException {
        return hdfs.getFileSystem();
    }

    /** {@code core-site.xml} and {@code yarn-site.xml} for spark-submit. */
    public Path confDir() {
        return confDir;
    }

    public YarnClient yarnClient() {
        return client;
    }

    /** The last {@code bytes} of every container's stderr of this application, for failure messages. */
    public String containerLogs(ApplicationId app, int bytes) {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.walk(workDir)) {
            List<Path> stderr = new ArrayList<>(files.filter(p -> p.getFileName().toString().equals("stderr")
                    && p.toString().contains(app.toString().replace("application_", "container_"))).sorted().toList());
            for (Path p : stderr) {
                String text = Files.readString(p);
                sb.append("\n==== ").append(p.getParent().getFileName()).append(" stderr (tail) ====\n")
                        .append(text.substring(Math.max(0, text.length() - bytes)));
            }
        } catch (IOException | RuntimeException e) {
            sb.append("(container logs unreadable: ").append(e).append(')');
        }
        return sb.toString();
    }

    /** Stops YARN and HDFS; drops the NodeManager's local directories (the localized jars), keeps its logs. */
    @Override
    public void close() throws IOException {
        try {
            client.stop();
            yarn.stop();
        } finally {
            hdfs.shutdown(true);
        }
        try (Stream<Path> dirs = Files.walk(workDir, 2)) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().contains("-localDir-")).toList()) {
                deleteRecursively(d);
            }
        }
    }
}
