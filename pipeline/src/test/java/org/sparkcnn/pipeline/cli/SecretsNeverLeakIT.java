package org.sparkcnn.pipeline.cli;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparkcnn.pipeline.demo.SyntheticCorpus;
import org.sparkcnn.pipeline.storage.Storage;
import org.sparkcnn.pipeline.testing.InJvmS3;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole {@code run} (ingest, train 2 epochs, evaluate, report) through {@link PipelineCli#execute} with every
 * output on S3 (the in-JVM endpoint), with three different credentials planted the three ways they reach us: an
 * Azure account key by {@code --set}, a GCS service-account private key in the {@code --conf} job file, and an S3A
 * encryption key as a {@code spark.hadoop.*} system property (how spark-submit's {@code --conf} reaches the driver).
 * None of them is used by the run: the run touches no Azure or GCS filesystem, and S3A ignores
 * {@code fs.s3a.encryption.key} while {@code fs.s3a.encryption.algorithm} is unset (with SSE-C the SDK would refuse
 * to send a key over this plain-HTTP endpoint, so the run passing shows it was not used). The S3 endpoint's own secret
 * key, also passed by {@code --set}, is looked for too.
 *
 * <p>Then every output file of the run is read back from S3 (json, csv, html, text, Parquet records decoded, zip
 * entries inflated), with the console (our stdout and stderr, plus the process's System.out/err where executors
 * print), the log4j output at INFO and Spark's event log (which records Spark's and Hadoop's whole configuration and
 * the JVM's system properties), and none may hold any secret.
 */
class SecretsNeverLeakIT {
    static final String AZURE_ACCOUNT_KEY = "AzureAcctKey-Pl4nted-By-Set-0001";
    static final String GCS_PRIVATE_KEY = "GcsPrivKey-Pl4nted-In-Conf-File-0002";
    static final String S3A_ENCRYPTION_KEY = "S3aSseKey-Pl4nted-As-System-Property-0003";
    static final String SYSTEM_PROPERTY = "spark.hadoop.fs.s3a.encryption.key";

    static InJvmS3 s3;
    static Storage storage;

    @TempDir
    static java.nio.file.Path tmp;

    @BeforeAll
    static void start() throws Exception {
        s3 = InJvmS3.start("corpus", "runs");
        Configuration conf = new Configuration();
        s3.configure(conf);
        storage = Storage.of(conf);
        assertEquals(45, SyntheticCorpus.write(storage, "s3a://corpus/shapes", 3, 15, 32, 4));
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty(SYSTEM_PROPERTY);
        s3.close();
    }

    @Test
    void noSecretReachesAnyOutputConsoleLogOrEventLog() throws Exception {
        java.nio.file.Path confFile = tmp.resolve("job.conf");
        Files.writeString(confFile, "# a GCS service account, as a user might keep it next to the job\n"
                + "spark {\n  hadoop {\n    \"fs.gs.auth.service.account.private.key\" = \"" + GCS_PRIVATE_KEY + "\"\n"
                + "    \"fs.gs.auth.service.account.email\" = \"runner@example.iam.gserviceaccount.com\"\n  }\n}\n"
                + "train.epochs = 2\n");
        java.nio.file.Path events = Files.createDirectories(tmp.resolve("events"));

        List<String> args = new ArrayList<>(List.of("run", "--conf", confFile.toString(),
                "--set", "spark.master=local[2]", "--set", "run.id=leak-check",
                "--set", "output.uri=s3a://runs/warehouse", "--set", "corpus.uri=s3a://corpus/shapes",
                "--set", "image.height=16", "--set", "image.width=16", "--set", "train.batch-size-per-worker=8",
                "--set", "spark.hadoop.fs.azure.account.key.leakcheck.blob.core.windows.net=" + AZURE_ACCOUNT_KEY,
                "--set", "spark.eventLog.enabled=true", "--set", "spark.eventLog.dir=" + events.toUri(),
                "--set", "spark.logConf=true"));
        Configuration s3conf = new Configuration(false);
        s3.configure(s3conf);
        for (Map.Entry<String, String> e : s3conf) {
            args.add("--set");
            args.add("spark.hadoop." + e.getKey() + "=" + e.getValue());
        }
        System.setProperty(SYSTEM_PROPERTY, S3A_ENCRYPTION_KEY);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream processConsole = new ByteArrayOutputStream();
        StringWriter log = new StringWriter();
        int rc;
        try (LogCapture ignored = LogCapture.start(log); ConsoleCapture alsoIgnored = ConsoleCapture.start(processConsole)) {
            rc = new PipelineCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args.toArray(String[]::new));
        } finally {
            System.clearProperty(SYSTEM_PROPERTY);
        }
        String stdout = out.toString(StandardCharsets.UTF_8);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, stdout + "\n" + stderr);
        assertTrue(stdout.contains("done: run leak-check"), stdout);

        Map<String, String> haystacks = new LinkedHashMap<>();
        haystacks.put("stdout", stdout);
        haystacks.put("stderr", stderr);
        haystacks.put("process console", processConsole.toString(StandardCharsets.UTF_8));
        haystacks.put("log4j", log.toString());
        assertTrue(log.toString().contains("Spark configuration:"), "spark.logConf logged the configuration");

        List<FileStatus> outputs = storage.listFiles("s3a://runs/", true);
        for (String expected : List.of("manifest.json", "metrics/run.json", "report.html", "evaluation.json")) {
            assertTrue(outputs.stream().anyMatch(f -> f.getPath().toString().endsWith("/leak-check/" + expected)), expected);
        }
        int parquet = 0;
        for (FileStatus f : outputs) {
            String uri = f.getPath().toString();
            byte[] bytes = storage.readAll(uri);
            haystacks.put(uri, new String(bytes, StandardCharsets.ISO_8859_1));
            if (uri.endsWith(".parquet")) {
                haystacks.put(uri + " (records)", parquetRecords(uri));
                parquet++;
            }
            if (bytes.length > 4 && bytes[0] == 'P' && bytes[1] == 'K') {
                haystacks.put(uri + " (zip entries)", zipEntries(bytes));
            }
        }
        assertTrue(parquet >= 2, "the runs and epochs tables were read back as records");
        assertTrue(haystacks.keySet().stream().anyMatch(k -> k.contains("/metrics/runs/") && k.endsWith("(records)")),
                "the Parquet runs table: " + haystacks.keySet());
        assertTrue(haystacks.get("s3a://runs/warehouse/leak-check/metrics/run.json").contains("(redacted)"),
                "the recorded configuration shows where a credential was");
        try (Stream<java.nio.file.Path> files = Files.walk(events)) {
            for (java.nio.file.Path p : files.filter(Files::isRegularFile).toList()) {
                haystacks.put("event log " + p.getFileName(), Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
        assertTrue(haystacks.keySet().stream().anyMatch(k -> k.startsWith("event log")), "Spark wrote an event log");

        List<String> leaks = new ArrayList<>();
        for (String secret : List.of(AZURE_ACCOUNT_KEY, GCS_PRIVATE_KEY, S3A_ENCRYPTION_KEY, InJvmS3.SECRET_KEY)) {
            for (Map.Entry<String, String> h : haystacks.entrySet()) {
                if (h.getValue().contains(secret)) {
                    leaks.add(secret + " in " + h.getKey());
                }
            }
        }
        assertEquals(List.of(), leaks, "searched " + haystacks.size() + " places");
    }

    private static String parquetRecords(String uri) throws IOException {
        Configuration conf = new Configuration();
        s3.configure(conf);
        StringBuilder sb = new StringBuilder();
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), new Path(uri)).withConf(conf).build()) {
            for (Group g = reader.read(); g != null; g = reader.read()) {
                sb.append(g).append('\n');
            }
        }
        return sb.toString();
    }

    private static String zipEntries(byte[] zip) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                sb.append(e.getName()).append('\n').append(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    /** Everything log4j logs at INFO and above, into {@code sink}, instead of the console, while open. */
    record LogCapture(LoggerContext context, Appender appender, Level level, List<Appender> replaced) implements AutoCloseable {
        static LogCapture start(StringWriter sink) {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            var config = ctx.getConfiguration();
            Appender appender = WriterAppender.newBuilder().setName("secrets-capture").setTarget(sink)
                    .setLayout(PatternLayout.newBuilder().withPattern("%d{HH:mm:ss} %p %c: %m%n%throwable").build())
                    .build();
            appender.start();
            config.addAppender(appender);
            LoggerConfig root = config.getRootLogger();
            List<Appender> replaced = new ArrayList<>(root.getAppenders().values());
            replaced.forEach(a -> root.removeAppender(a.getName()));
            Level level = root.getLevel();
            root.addAppender(appender, Level.ALL, null);
            root.setLevel(Level.INFO);
            ctx.updateLoggers();
            return new LogCapture(ctx, appender, level, replaced);
        }

        @Override
        public void close() {
            LoggerConfig root = context.getConfiguration().getRootLogger();
            root.removeAppender(appender.getName());
            replaced.forEach(a -> root.addAppender(a, null, null));
            root.setLevel(level);
            context.updateLoggers();
            appender.stop();
        }
    }

    /** System.out and System.err (where executor threads print) also copied into {@code sink}, while open. */
    record ConsoleCapture(PrintStream out, PrintStream err) implements AutoCloseable {
        static ConsoleCapture start(ByteArrayOutputStream sink) {
            ConsoleCapture c = new ConsoleCapture(System.out, System.err);
            System.setOut(new PrintStream(new Tee(c.out, sink), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(new Tee(c.err, sink), true, StandardCharsets.UTF_8));
            return c;
        }

        @Override
        public void close() {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            synchronized (b) {
                b.write(x);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            a.flush();
        }
    }
}
