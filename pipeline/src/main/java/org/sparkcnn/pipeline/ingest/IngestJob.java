package org.sparkcnn.pipeline.ingest;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.sparkcnn.pipeline.config.CodeVersion;
import org.sparkcnn.pipeline.config.ConfigFingerprint;
import org.sparkcnn.pipeline.config.ConfigLoader;
import org.sparkcnn.pipeline.config.PipelineConfig;
import org.sparkcnn.pipeline.corpus.CorpusEntry;
import org.sparkcnn.pipeline.corpus.CorpusLister;
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
 * seeded train/validation/test shards, quarantines what it cannot use, and commits
 * (shards, quarantine table, then {@code manifest.json}, then the marker).
 */
public final class IngestJob {
    private final PrintStream out;

    public IngestJob(PrintStream out) {
        this.out = out;
    }

    public IngestResult run(SparkSession spark, PipelineConfig config) {
        long started = System.nanoTime();
        String runId = config.run().id();
        RunLayout run = RunLayout.of(config.output().uri(), runId);
        Storage storage = Storage.of(spark.sparkContext().hadoopConfiguration());
        ManifestStore manifests = new ManifestStore(storage);
        String configHash = ConfigFingerprint.ingest(config);

        Optional<ShardManifest> existing = manifests.readCommitted(run);
        if (existing.isPresent()) {
            if (existing.get().configHash().equals(configHash)) {
                out.printf("ingest: %s already holds a committed ingest with config hash %s; nothing to do%n",
                        run.root(), configHash.substring(0, 12));
                return new IngestResult(runId, run.root(), existing.get(), true, seconds(started));
            }
            if (!config.output().overwrite()) {
                throw new BadInputException("ingest: " + run.root() + " already holds an ingest with a different config (hash "
                        + existing.get().configHash().substring(0, 12) + " vs " + configHash.substring(0, 12)
                        + "); use another run.id, or pass --overwrite (output.overwrite=true) to replace it");
            }
        }

        CorpusListing listing = new CorpusLister(storage,
                new SplitAssigner(config.seed(), config.split().validationFraction(), config.split().testFraction()))
                .list(config.corpus().uri(), config.corpus().layout());
        out.printf("ingest: listed %d files in %s (%s layout, %d classes); %d rejected by name or meta lists%n",
                listing.listed(), listing.rootUri(), ConfigLoader.display(listing.layout()), listing.classNames().size(),
                listing.quarantined().size());

        int perShard = ShardPlan.examplesPerShard(config.ingest().examplesPerShard(), config.ingest().shardTargetMb(),
                config.image().pixelsPerExample());
        List<ShardTask> tasks = ShardPlan.plan(listing.entries(), perShard, config.seed());
        String staging = run.ingestStaging();
        storage.delete(staging);

        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LongAccumulator done = sc.sc().longAccumulator("images decoded");
        ShardBuilder builder = new ShardBuilder(storage,
                new ImageDecoder(config.image(), config.ingest().minPixels(), config.ingest().maxPixels(),
                        config.ingest().decoder()),
                config.image(), listing.classNames().size(), staging, done,
                new AugmentedCopies(config.augment(), config.ingest().augmentCopies(), config.seed(), config.image()));
        List<ShardOutcome> outcomes;
        try (IngestProgress progress = IngestProgress.start(out, done, listing.entries().size())) {
            outcomes = tasks.isEmpty() ? List.of()
                    : sc.parallelize(tasks, tasks.size()).map(builder::build).collect();
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

        publish(storage, run, staging);
        double badFraction = listed == 0 ? 1.0 : quarantined.size() / (double) listed;
        if (written == 0 || badFraction > config.ingest().maxBadFraction()) {
            throw new BadInputException(String.format(
                    "ingest: %d of %d inputs quarantined (%.2f%%), above ingest.max-bad-fraction=%s; top reasons: %s. "
                            + "See the quarantine table at %s; fix the corpus or raise ingest.max-bad-fraction.",
                    quarantined.size(), listed, 100.0 * badFraction, config.ingest().maxBadFraction(),
                    topReasons(quarantined), run.quarantine()));
        }

        ShardManifest manifest = new ShardManifest(ShardManifest.FORMAT_VERSION, runId, listing.rootUri(),
                ConfigLoader.display(listing.layout()), listing.classNames(), config.image().height(),
                config.image().width(), config.image().channels(), ConfigLoader.display(config.image().resizeMode()),
                config.seed(), configHash, CodeVersion.get(), Instant.now().toString(), listed, written,
                quarantined.size(), copies, splitCounts, shards,
                "same corpus + seed " + config.seed() + " + config hash " + configHash.substring(0, 12)
                        + " => byte-identical shards (see per-shard sha256)",
                ConfigFingerprint.tree(config));
        manifests.commit(run, manifest);
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

    /** Moves staged shards and quarantine into place, replacing any earlier (uncommitted or overwritten) output. */
    private static void publish(Storage storage, RunLayout run, String staging) {
        storage.delete(run.manifest());
        storage.delete(run.shardsRoot());
        storage.delete(run.quarantine());
        String stagedShards = Storage.join(staging, "shards");
        if (storage.exists(stagedShards)) {
            storage.rename(stagedShards, run.shardsRoot());
        } else {
            storage.mkdirs(run.shardsRoot());
        }
        storage.rename(Storage.join(staging, "quarantine"), run.quarantine());
        storage.delete(staging);
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
