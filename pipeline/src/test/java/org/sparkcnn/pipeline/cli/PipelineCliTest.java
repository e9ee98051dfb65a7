package org.sparkcnn.pipeline.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's exit-code contract: 0 ok, 2 bad config or input, 1 failure; messages name what is wrong. */
class PipelineCliTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new PipelineCli(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsVerbsAndExitsZero() {
        assertEquals(0, run("--help"));
        for (Verb v : Verb.values()) {
            assertTrue(stdout().contains(v.cliName()), v.cliName());
        }
        assertEquals(0, run());
    }

    @Test
    void everyVerbHasHelpListingItsKeysWithDefaults() {
        for (Verb v : Verb.values()) {
            out.reset();
            assertEquals(0, run(v.cliName(), "--help"), v.cliName());
            assertTrue(stdout().contains("run.id"), v + " lists run.id");
        }
        out.reset();
        run("train", "--help");
        assertTrue(stdout().contains("train.batch-size-per-worker") && stdout().contains("32"), stdout());
        assertTrue(!stdout().contains("corpus.layout"), "train --help omits ingest keys");
        out.reset();
        run("ingest", "--help");
        assertTrue(stdout().contains("corpus.layout") && stdout().contains("food101"), stdout());
    }

    @Test
    void unknownVerbOrOptionIsBadInput() {
        assertEquals(2, run("trian"));
        assertTrue(stderr().contains("trian") && stderr().contains("train"), stderr());
        assertEquals(2, run("train", "--bogus"));
        assertTrue(stderr().contains("--bogus"), stderr());
        assertEquals(2, run("train", "--set"));
        assertTrue(stderr().contains("--set needs a value"), stderr());
    }

    @Test
    void configErrorsExitTwoBeforeSparkStartsAndNameTheKey() {
        assertEquals(2, run("train", "--set", "train.epocs=3"));
        assertTrue(stderr().contains("train.epocs") && stderr().contains("train.epochs"), stderr());
        err.reset();
        assertEquals(2, run("ingest", "--set", "image.height=-1"));
        assertTrue(stderr().contains("image.height") && stderr().contains("-1"), stderr());
        err.reset();
        assertEquals(2, run("demo", "--conf", tmp.resolve("absent.conf").toString()));
        assertTrue(stderr().contains("absent.conf"), stderr());
        assertTrue(!stdout().contains("run "), "no run started: " + stdout());
    }

    @Test
    void anUnknownCredentialKeyExitsTwoWithoutPrintingTheSecret() {
        String secret = "Unkn0wn-Key-S3cret-Value";
        assertEquals(2, run("train", "--set", "fs.s3a.secret.key=" + secret));
        assertTrue(stderr().contains("fs.s3a.secret.key") && stderr().contains("spark.hadoop.fs.s3a.secret.key"), stderr());
        assertTrue(!stderr().contains(secret) && !stdout().contains(secret), stderr() + stdout());
        err.reset();
        assertEquals(2, run("train", "--set", "fs.azure.account.key.acct.blob.core.windows.net=" + secret));
        assertTrue(stderr().contains("fs.azure.account.key") && !stderr().contains(secret), stderr());
    }

    @Test
    void settingsThatUsedToFailMidRunExitTwoBeforeSparkStarts() {
        assertEquals(2, run("run", "--set", "early-stopping.enabled=true", "--set", "split.validation-fraction=0"));
        assertTrue(stderr().contains("early-stopping.monitor") && stderr().contains("split.validation-fraction"), stderr());
        err.reset();
        assertEquals(2, run("ingest", "--set", "ingest.examples-per-shard=17476", "--set", "ingest.augment.copies=10"));
        assertTrue(stderr().contains("ingest.augment.copies") && stderr().contains("limit 9"), stderr());
        err.reset();
        assertEquals(2, run("ingest", "--set", "ingest.shard-target-mb=512"));
        assertTrue(stderr().contains("ingest.shard-target-mb") && stderr().contains("511"), stderr());
        err.reset();
        assertEquals(2, run("train", "--set", "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=6GiB"));
        assertTrue(stderr().contains("-Dorg.bytedeco.javacpp.maxbytes=6GiB"), stderr());
        assertTrue(!stdout().contains("run "), "no run started: " + stdout());
    }

    @Test
    void badInputFoundAtRunTimeExitsTwo() {
        assertEquals(2, run("ingest", "--set", "spark.master=local[1]", "--set", "output.uri=" + tmp.toUri(),
                "--set", "corpus.uri=" + tmp.resolve("no-such-corpus").toUri()));
        assertTrue(stderr().contains("no-such-corpus"), stderr());
        err.reset();
        assertEquals(2, run("train", "--run-id", "never-ingested", "--set", "spark.master=local[1]",
                "--set", "output.uri=" + tmp.toUri()));
        assertTrue(stderr().contains("no committed ingest"), stderr());
    }

    @Test
    void aFailureThatIsNotTheUsersFaultExitsOne() {
        assertEquals(1, run("ingest", "--set", "spark.master=local[1]", "--set", "output.uri=nosuchfs://bucket/runs",
                "--set", "corpus.uri=" + tmp.toUri()));
        assertTrue(stderr().contains("failed:"), stderr());
    }

    @Test
    void generatedRunIdIsPrinted() {
        assertEquals(2, run("train", "--set", "spark.master=local[1]", "--set", "output.uri=" + tmp.toUri()));
        assertTrue(stdout().matches("(?s)train: run run-\\d{8}-\\d{6}-[0-9a-f]{4} at .*"), stdout());
    }
}
