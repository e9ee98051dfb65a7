package org.sparkcnn.pipeline.testing;

import org.apache.hadoop.conf.Configuration;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;

import java.net.URI;
import java.util.Properties;

/** A real S3 endpoint in this JVM (s3proxy over jclouds' in-memory store) on 127.0.0.1, for S3A. */
public final class InJvmS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "test-access";
    public static final String SECRET_KEY = "s3cr3t-Never-Logged-42";

    private final S3Proxy proxy;
    private final BlobStoreContext context;

    private InJvmS3(S3Proxy proxy, BlobStoreContext context) {
        this.proxy = proxy;
        this.context = context;
    }

    public static InJvmS3 start(String... buckets) throws Exception {
        Properties props = new Properties();
        BlobStoreContext context = ContextBuilder.newBuilder("transient").overrides(props).build(BlobStoreContext.class);
        BlobStore store = context.getBlobStore();
        for (String b : buckets) {
            store.createContainerInLocation(null, b);
        }
        S3Proxy proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // S3A on the v2 SDK (Hadoop 3.4+, the Spark 4 line) sends the SDK's checksum headers
                // (x-amz-checksum-crc32, x-amz-sdk-checksum-algorithm) that s3proxy 2.3.0 does not know; it would
                // answer 501 NotImplemented to every bulk delete. It does not check them, as S3 would.
                .ignoreUnknownHeaders(true)
                .build();
        proxy.start();
        for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(25);
        }
        return new InJvmS3(proxy, context);
    }

    /** S3A settings for this endpoint (path-style, no TLS, the test credentials). */
    public void configure(Configuration conf) {
        conf.set("fs.s3a.endpoint", "http://127.0.0.1:" + proxy.getPort());
        conf.set("fs.s3a.endpoint.region", "us-east-1");
        conf.set("fs.s3a.path.style.access", "true");
        conf.set("fs.s3a.connection.ssl.enabled", "false");
        conf.set("fs.s3a.access.key", ACCESS_KEY);
        conf.set("fs.s3a.secret.key", SECRET_KEY);
        conf.set("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        conf.set("fs.s3a.change.detection.version.required", "false");
        // A test that cannot reach the endpoint fails in seconds instead of retrying for minutes.
        conf.set("fs.s3a.attempts.maximum", "2");
        conf.set("fs.s3a.retry.limit", "2");
        conf.set("fs.s3a.connection.establish.timeout", "5000");
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
        // Hadoop caches a FileSystem per scheme and bucket: a later test class with its own endpoint (another port)
        // would otherwise get this class's S3A instance, pointing at the server just stopped.
        org.apache.hadoop.fs.FileSystem.closeAll();
    }
}
