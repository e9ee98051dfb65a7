package org.sparkcnn.pipeline.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's exit-code contract: 0 ok, 2 bad config or input, 1 failure; messages name what is wrong. */
class PipelineCliTest {
    @TempDir
    Path tmp;

    private final CapturedCli cli = new CapturedCli();

    @Test
    void helpListsVerbsAndExitsZero() {
        assertEquals(0, cli.run("--help"));
        for (Verb v : Verb.values()) {
            assertTrue(cli.stdout().contains(v.cliName()), v.cliName());
        }
        assertEquals(0, cli.run());
    }

    @Test
    void everyVerbHasHelpListingItsKeysWithDefaults() {
        for (Verb v : Verb.values()) {
            cli.out.reset();
            assertEquals(0, cli.run(v.cliName(), "--help"), v.cliName());
            assertTrue(cli.stdout().contains("run.id"), v + " lists run.id");
        }
        cli.out.reset();
        cli.run("train", "--help");
        assertTrue(cli.stdout().contains("train.batch-size-per-worker") && cli.stdout().contains("32"), cli.stdout());
        assertTrue(!cli.stdout().contains("corpus.layout"), "train --help omits ingest keys");
        cli.out.reset();
        cli.run("ingest", "--help");
        assertTrue(cli.stdout().contains("corpus.layout") && cli.stdout().contains("food101"), cli.stdout());
    }

    @Test
    void unknownVerbOrOptionIsBadInput() {
        assertEquals(2, cli.run("trian"));
        assertTrue(cli.stderr().contains("trian") && cli.stderr().contains("train"), cli.stderr());
        assertEquals(2, cli.run("train", "--bogus"));
        assertTrue(cli.stderr().contains("--bogus"), cli.stderr());
        assertEquals(2, cli.run("train", "--set"));
        assertTrue(cli.stderr().contains("--set needs a value"), cli.stderr());
    }

    @Test
    void configErrorsExitTwoBeforeSparkStartsAndNameTheKey() {
        assertEquals(2, cli.run("train", "--set", "train.epocs=3"));
        assertTrue(cli.stderr().contains("train.epocs") && cli.stderr().contains("train.epochs"), cli.stderr());
        cli.err.reset();
        assertEquals(2, cli.run("ingest", "--set", "image.height=-1"));
        assertTrue(cli.stderr().contains("image.height") && cli.stderr().contains("-1"), cli.stderr());
        cli.err.reset();
        assertEquals(2, cli.run("demo", "--conf", tmp.resolve("absent.conf").toString()));
        assertTrue(cli.stderr().contains("absent.conf"), cli.stderr());
        assertTrue(!cli.stdout().contains("run "), "no run started: " + cli.stdout());
    }

    @Test
    void anUnknownCredentialKeyExitsTwoWithoutPrintingTheSecret() {
        String secret = "Unkn0wn-Key-S3cret-Value";
        assertEquals(2, cli.run("train", "--set", "fs.s3a.secret.key=" + secret));
        assertTrue(cli.stderr().contains("fs.s3a.secret.key") && cli.stderr().contains("spark.hadoop.fs.s3a.secret.key"), cli.stderr());
        assertTrue(!cli.stderr().contains(secret) && !cli.stdout().contains(secret), cli.stderr() + cli.stdout());
        cli.err.reset();
        assertEquals(2, cli.run("train", "--set", "fs.azure.account.key.acct.blob.core.windows.net=" + secret));
        assertTrue(cli.stderr().contains("fs.azure.account.key") && !cli.stderr().contains(secret), cli.stderr());
    }

    @Test
    void settingsThatUsedToFailMidRunExitTwoBeforeSparkStarts() {
        assertEquals(2, cli.run("run", "--set", "early-stopping.enabled=true", "--set", "split.validation-fraction=0"));
        assertTrue(cli.stderr().contains("early-stopping.monitor") && cli.stderr().contains("split.validation-fraction"), cli.stderr());
        cli.err.reset();
        assertEquals(2, cli.run("ingest", "--set", "ingest.examples-per-shard=17476", "--set", "ingest.augment.copies=10"));
        assertTrue(cli.stderr().contains("ingest.augment.copies") && cli.stderr().contains("limit 9"), cli.stderr());
        cli.err.reset();
        assertEquals(2, cli.run("ingest", "--set", "ingest.shard-target-mb=512"));
        assertTrue(cli.stderr().contains("ingest.shard-target-mb") && cli.stderr().contains("511"), cli.stderr());
        cli.err.reset();
        assertEquals(2, cli.run("train", "--set", "spark.executor.extraJavaOptions=-Dorg.bytedeco.javacpp.maxbytes=6GiB"));
        assertTrue(cli.stderr().contains("-Dorg.bytedeco.javacpp.maxbytes=6GiB"), cli.stderr());
        assertTrue(!cli.stdout().contains("run "), "no run started: " + cli.stdout());
    }

    @Test
    void badInputFoundAtRunTimeExitsTwo() {
        assertEquals(2, cli.run("ingest", "--set", "spark.master=local[1]", "--set", "output.uri=" + tmp.toUri(),
                "--set", "corpus.uri=" + tmp.resolve("no-such-corpus").toUri()));
        assertTrue(cli.stderr().contains("no-such-corpus"), cli.stderr());
        cli.err.reset();
        assertEquals(2, cli.run("train", "--run-id", "never-ingested", "--set", "spark.master=local[1]",
                "--set", "output.uri=" + tmp.toUri()));
        assertTrue(cli.stderr().contains("no committed ingest"), cli.stderr());
    }

    @Test
    void aFailureThatIsNotTheUsersFaultExitsOne() {
        assertEquals(1, cli.run("ingest", "--set", "spark.master=local[1]", "--set", "output.uri=nosuchfs://bucket/runs",
                "--set", "corpus.uri=" + tmp.toUri()));
        assertTrue(cli.stderr().contains("failed:"), cli.stderr());
    }

    @Test
    void generatedRunIdIsPrinted() {
        assertEquals(2, cli.run("train", "--set", "spark.master=local[1]", "--set", "output.uri=" + tmp.toUri()));
        assertTrue(cli.stdout().matches("(?s)train: run run-\\d{8}-\\d{6}-[0-9a-f]{4} at .*"), cli.stdout());
    }
}
