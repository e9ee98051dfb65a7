package org.sparkcnn.pipeline.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the configuration's storage URIs mean where the job runs, settled once on the driver before any stage:
 * <ul>
 *   <li>a URI without a scheme names a path on the cluster's default filesystem ({@code fs.defaultFS}), as it does
 *       for every Spark and Hadoop tool: {@code runs/x} on a cluster whose default is HDFS is
 *       {@code hdfs://namenode/user/<user>/runs/x}; where the default is the local disk it stays a local path;</li>
 *   <li>on a master whose executors run on other machines (YARN, Kubernetes, a standalone cluster), a {@code file:}
 *       URI would name a different disk on every executor: ingest would commit a manifest over shards the driver
 *       never sees. Such URIs are refused (exit 2, naming the key) unless {@code output.shared-local-filesystem}
 *       declares them shared (NFS, a shared volume, one machine). {@code local}, {@code local[N]} and
 *       {@code local-cluster[...]} run on the driver's machine and keep them.</li>
 * </ul>
 */
public final class ClusterPaths {
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

    private ClusterPaths() {}

    public static PipelineConfig resolve(PipelineConfig config, String master, Configuration hadoop) {
        URI defaultFs = FileSystem.getDefaultUri(hadoop);
        String output = qualify(config.output().uri(), defaultFs, hadoop);
        String corpus = qualify(config.corpus().uri(), defaultFs, hadoop);
        String init = qualify(config.model().init(), defaultFs, hadoop);
        String demoCorpus = qualify(config.demo().corpusUri(), defaultFs, hadoop);
        if (executorsElsewhere(master) && !config.output().sharedLocalFilesystem()) {
            refuseLocal("output.uri", output, master);
            refuseLocal("corpus.uri", corpus, master);
            refuseLocal("model.init", init, master);
            refuseLocal("demo.corpus-uri", demoCorpus, master);
        }
        return config.withUris(output, corpus, init, demoCorpus);
    }

    /** True for masters whose executors may run on other machines than the driver. */
    public static boolean executorsElsewhere(String master) {
        return !master.startsWith("local");
    }

    /** A URI with a scheme as it is; a bare path on the default filesystem (on the local disk: absolute). */
    static String qualify(String uri, URI defaultFs, Configuration hadoop) {
        if (uri == null || uri.isEmpty() || SCHEME.matcher(uri).matches()) {
            return uri;
        }
        if (defaultFs.getScheme() == null || defaultFs.getScheme().equals("file")) {
            return Storage.qualify(uri);
        }
        try {
            return FileSystem.get(defaultFs, hadoop).makeQualified(new Path(uri)).toString();
        } catch (IOException | IllegalArgumentException e) {
            throw new BadInputException("'" + uri + "' has no scheme, so it names a path on the cluster's default "
                    + "filesystem " + defaultFs + ", which cannot be opened (" + e.getMessage() + "); give a full URI "
                    + "(hdfs://, s3a://, file:)", e);
        }
    }

    private static void refuseLocal(String key, String uri, String master) {
        if (uri != null && uri.toLowerCase(Locale.ROOT).startsWith("file:")) {
            throw new BadInputException(key + " = " + uri + " is on the driver's local disk, but master " + master
                    + " runs executors on other machines, each of which would read and write its own disk. Use a URI on "
                    + "a shared filesystem (hdfs://, s3a://, or a path without a scheme for the cluster's default "
                    + "filesystem), or set output.shared-local-filesystem = true if this path is mounted at the same "
                    + "place on the driver and every executor (NFS, a shared volume)");
        }
    }
}
