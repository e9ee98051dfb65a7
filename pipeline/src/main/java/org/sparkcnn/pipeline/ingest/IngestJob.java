package org.sparkcnn.pipeline.ingest;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.sparkcnn.pipeline.config.CodeVersion;
import org.sparkcnn.pipeline.config.ConfigFingerprint;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.config.ShardLimits;
import org.sparkcnn.pipeline.corpus.CorpusEntry;
import org.sparkcnn.pipeline.corpus.CorpusListing;
import org.sparkcnn.pipeline.corpus.QuarantineReason;
import org.sparkcnn.pipeline.corpus.QuarantineRecord;
import org.sparkcnn.pipeline.corpus.Split;
import org.sparkcnn.pipeline.corpus.SplitAssigner;
import org.sparkcnn.pipeline.error.BadInputException;
import org.sparkcnn.pipeline.shards.ManifestStore;
import org.sparkcnn.pipeline.shards.ShardInfo;
import org.sparkcnn.pipeline.shards.ShardManifest;
import org.sparkcnn.pipeline.shards.SplitCounts;
import org.sparkcnn.pipeline.storage.RunLayout;
import org.sparkcnn.pipeline.storage.Storage;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code ingest}: lists the corpus on the driver, decodes and resizes the images on the executors into
 * seeded train/validation/test shards, quarantines what it cannot use, and commits. Every ingest writes a new
 * generation folder ({@code ingest/<generation>/shards/} and {@code quarantine/}); only when its counts reconcile
 * and its quarantined fraction is within {@code ingest.max-bad-fraction} does it write {@code manifest.json}, which
 * names the generation and is the commit: until then the previous committed ingest stays whole and readable, and
 * a failed or killed ingest leaves it untouched. After the commit, other generations are removed.
 */
public final class IngestJob {
    private final PrintStream out;

    public IngestJob(PrintStream out) {
        this.out = out;
    }

    /** Ingests the corpus of files {@code corpus.uri} names. */
    public IngestResult run(SparkSession spark, PipelineConfig config) {
        return run(spark, config, IngestSource.files(config.corpus().uri(), config.corpus().layout()));
    }

    /** Ingests what {@code source} lists (the config's {@code corpus} keys name it in the manifest). */
    public IngestResult run(SparkSession spark, PipelineConfig config, IngestSource source) {
        long started = System.nanoTime();
        String runId = config.run().id();
        RunLayout run = RunLayout.of(config.output().uri(), runId);
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        ManifestStore manifests = new ManifestStore(storage);
        String configHash = ConfigFingerprint.ingest(config);

        Optional<ShardManifest> existing = manifests.readCommitted(run);
        if (existing.isPresent()) {
            if (existing.get().configHash().equals(configHash) && !config.output().overwrite()) {
                out.printf("ingest: %s already holds a committed ingest with config hash %s; nothing to do%n",
                        run.root(), configHash.substring(0, 12));
                return new IngestResult(runId, run.root(), existing.get(), true, seconds(started));
            }
            if (!config.output().overwrite()) {
                throw new BadInputException("ingest: " + run.root() + " already holds an ingest with a different config (hash "
                        + existing.get().configHash().substring(0, 12) + " vs " + configHash.substring(0, 12)
                        + "); use another run.id, or pass --overwrite (output.overwrite=true) to replace it");
            }
            out.printf("ingest: --overwrite: replacing the committed ingest of %s (it stays readable until the new one "
                    + "commits)%n", run.root());
        }

        CorpusListing listing = source.list(storage,
                new SplitAssigner(config.seed(), config.split().validationFraction(), config.split().testFraction()));
        out.printf("ingest: listed %d files in %s (%s layout, %d classes); %d rejected by name or meta lists%n",
                listing.listed(), listing.rootUri(), ConfigLoader.display(listing.layout()), listing.classNames().size(),
                listing.quarantined().size());

        int perShard = ShardLimits.examplesPerShard(config.ingest(), config.image());
        List<ShardTask> tasks = ShardPlan.plan(listing.entries(), perShard, config.seed());
        String generation = RunLayout.generationPath(newGenerationId());
        String staging = Storage.join(run.root(), generation);

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LongAccumulator done = sc.sc().longAccumulator("images decoded");
        ShardBuilder builder = new ShardBuilder(storage,
                new ImageDecoder(config.image(), config.ingest().minPixels(), config.ingest().maxPixels(),
                        config.ingest().decoder()),
                config.image(), listing.classNames().size(), staging, done,
                new AugmentedCopies(config.augment(), config.ingest().augmentCopies(), config.seed(), config.image()));
        List<ShardOutcome> outcomes;
        try (IngestProgress progress = IngestProgress.start(out, done, listing.entries().size())) {
            outcomes = source.build(sc, tasks, builder);
        }

        List<QuarantineRecord> quarantined = new ArrayList<>(listing.quarantined());
        List<ShardInfo> shards = new ArrayList<>();
        long copies = 0;
        for (ShardOutcome o : outcomes) {
            copies += o.copies();
            quarantined.addAll(o.quarantined());
            if (o.shard() != null) {
                shards.add(o.shard());
            }
        }
        quarantined.sort(Comparator.comparing(QuarantineRecord::path));
        QuarantineTable.write(spark, Storage.join(staging, "quarantine"), quarantined);

        Map<String, SplitCounts> splitCounts = reconcile(listing, tasks, outcomes);
        long written = shards.stream().mapToLong(ShardInfo::examples).sum() - copies;
        long listed = listing.listed();
        if (written + quarantined.size() != listed) {
            throw new IllegalStateException("ingest counts do not reconcile: listed " + listed + " != written " + written
                    + " + quarantined " + quarantined.size());
        }

        double badFraction = listed == 0 ? 1.0 : quarantined.size() / (double) listed;
        if (written == 0 || badFraction > config.ingest().maxBadFraction()) {
            // Nothing is published: the shards go, the quarantine table stays for the user to read.
            storage.delete(Storage.join(staging, "shards"));
            throw new BadInputException(String.format(
                    "ingest: %d of %d inputs quarantined (%.2f%%), above ingest.max-bad-fraction=%s; top reasons: %s. "
                            + "See the quarantine table at %s; fix the corpus or raise ingest.max-bad-fraction.%s",
                    quarantined.size(), listed, 100.0 * badFraction, config.ingest().maxBadFraction(),
                    topReasons(quarantined), Storage.join(staging, "quarantine"), existing.isPresent()
                            ? " The run's previous ingest is unchanged." : ""));
        }

        ShardManifest manifest = new ShardManifest(ShardManifest.FORMAT_VERSION, runId, listing.rootUri(),
                ConfigLoader.display(listing.layout()), listing.classNames(), config.image().height(),
                config.image().width(), config.image().channels(), ConfigLoader.display(config.image().resizeMode()),
                config.seed(), configHash, CodeVersion.get(), Instant.now().toString(), listed, written,
                quarantined.size(), copies, splitCounts, shards,
                "same corpus + seed " + config.seed() + " + config hash " + configHash.substring(0, 12)
                        + " => byte-identical shards (see per-shard sha256)",
                ConfigFingerprint.tree(config), generation);
        manifests.commit(run, manifest);
        removeOtherGenerations(storage, run, generation);
        double secs = seconds(started);
        if (copies > 0) {
            out.printf("ingest: %d augmented copies materialised in the train shards (ingest.augment.copies=%d)%n",
                    copies, config.ingest().augmentCopies());
        }
        out.printf("ingest: committed %d examples in %d shards (train %d, validation %d, test %d), %d quarantined, "
                        + "%.1f s, %.1f images/s%n", written, shards.size(),
                splitCounts.get("train").written(), splitCounts.get("validation").written(),
                splitCounts.get("test").written(), quarantined.size(), secs, listing.entries().size() / secs);
        return new IngestResult(runId, run.root(), manifest, false, secs);
    }

    /** A generation id that sorts by time and never repeats: {@code g-<UTC time>-<random>}. */
    static String newGenerationId() {
        return "g-" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC))
                + "-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * After a commit: removes every other generation (earlier ingests, failed or killed ones) and the root-level
     * {@code shards/}, {@code quarantine/} and staging folder of ingests before generations.
     */
    private static void removeOtherGenerations(Storage storage, RunLayout run, String current) {
        for (String name : storage.listDirectoryNames(run.ingestGenerations())) {
            if (!RunLayout.generationPath(name).equals(current)) {
                storage.delete(Storage.join(run.ingestGenerations(), name));
            }
        }
        storage.delete(run.legacyShardsRoot());
        storage.delete(run.legacyQuarantine());
        storage.delete(run.legacyIngestStaging());
    }

    private static Map<String, SplitCounts> reconcile(CorpusListing listing, List<ShardTask> tasks, List<ShardOutcome> outcomes) {
        Map<Split, long[]> perClass = new EnumMap<>(Split.class);
        Map<Split, long[]> listedWrittenQuarantined = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            perClass.put(s, new long[listing.classNames().size()]);
            listedWrittenQuarantined.put(s, new long[3]);
        }
        for (CorpusEntry e : listing.entries()) {
            listedWrittenQuarantined.get(e.split())[0]++;
        }
        for (int i = 0; i < tasks.size(); i++) {
            Split s = tasks.get(i).split();
            ShardOutcome o = outcomes.get(i);
            long[] counts = perClass.get(s);
            for (int c = 0; c < counts.length; c++) {
                counts[c] += o.perLabel()[c];
            }
            listedWrittenQuarantined.get(s)[1] += o.shard() == null ? 0 : o.shard().examples() - o.copies();
            listedWrittenQuarantined.get(s)[2] += o.quarantined().size();
        }
        Map<String, SplitCounts> result = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            Map<String, Long> byName = new TreeMap<>();
            long[] counts = perClass.get(s);
            for (int c = 0; c < counts.length; c++) {
                byName.put(listing.classNames().get(c), counts[c]);
            }
            long[] lwq = listedWrittenQuarantined.get(s);
            result.put(s.label(), new SplitCounts(lwq[0], lwq[1], lwq[2], byName));
        }
        // Inputs rejected before a split was known (by name or meta lists) are reconciled at the top level.
        long preSplit = listing.quarantined().size();
        result.put("unassigned", new SplitCounts(preSplit, 0, preSplit, Map.of()));
        return result;
    }

    static String topReasons(List<QuarantineRecord> quarantined) {
        Map<QuarantineReason, Long> counts = quarantined.stream()
                .collect(Collectors.groupingBy(QuarantineRecord::reason, Collectors.counting()));
        return counts.entrySet().stream()
                .sorted(Map.Entry.<QuarantineReason, Long>comparingByValue().reversed()
                        .thenComparing(e -> e.getKey().name()))
                .limit(3)
                .map(e -> e.getKey() + " x" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
