#!/usr/bin/env bash
# Training benchmark, side by side on the same corpus, architecture, epochs, batch size and 2 threads:
#   reference: bench/reference_train.py (PyTorch on the CPU, 2 threads): the same network as our model factory
#          builds, the same initialisation scheme, Adam at the same learning rate, the same JPEGs decoded with PIL
#   ours:  bin/pipeline run on local[2] (2 parameter-averaging workers, 1 thread each), train.lr-scaling none and linear
#   dl4j-spark: the same run with train.trainer=dl4j-spark (DL4J's ParameterAveragingTrainingMaster drives the rounds)
#   ours-per-round: "ours" with train.exchange=job-per-round (a Spark job per averaging round; "ours" runs the default
#          auto, which is one barrier job per epoch on local[2])
#   plain: DL4J MultiLayerNetwork.fit in one JVM on the same shards (the cost of parameter averaging), with the
#          same C1-only JIT flag and JavaCPP settings as bin/pipeline
# Median of RUNS runs each (default 3, seeds 42, 43, 44; fewer only to check the script works, never for a figure).
# Reports fit-only samples/s and test accuracy after the same epochs. Ours: the median epoch's rate (steady state),
# and the whole run's (epoch 1's JVM warm-up included); the reference reports both too (its whole-run rate is total
# examples / total step seconds, its tensors decoded before timing starts).
#   bench/train.sh [ARCH] [SIZE] [EPOCHS] [BATCH]     (defaults: lenet 32 10 32; ARCH lenet, food101, mnist, arctic
#   or resnet50, which the reference trains as torchvision's resnet50)
#   BENCH_VARIANTS="ours ours-per-round" bench/train.sh ...   runs only those Spark variants (default: ours ours-linear
#   dl4j-spark)
#   BATCH_SCOPE=global bench/train.sh ...   BATCH is the examples per synchronous step over both workers, as the
#   reference's batch is per optimiser step: each worker fits BATCH/2 (plain DL4J fits BATCH). Default "worker": each
#   worker fits BATCH, so a round's step covers 2 x BATCH examples
#   PLAIN=0 bench/train.sh ...   skips the plain DL4J runs (for resnet50, where only ours against the reference counts)
#   IMAGES_PER_CLASS=1000 bench/train.sh ...   a larger corpus (default 250 per class: 800 training, 200 test
#   images), where the JVM's warm-up weighs less in the per-epoch median
# Needs /usr/bin/python3 with Debian's python3-torch, python3-pil and python3-numpy (python3-torchvision for
# resnet50), Java 17 and Maven; missing Debian packages are installed when run as root (bench/require.sh).
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
# shellcheck source=require.sh
source "$BENCH/require.sh"
ARCH="${1:-lenet}"; SIZE="${2:-32}"; EPOCHS="${3:-10}"; BATCH="${4:-32}"; RUNS="${RUNS:-3}"
case "$ARCH" in
  lenet|food101|mnist|arctic) PY_NEEDS=(python3-torch python3-pil python3-numpy) ;;
  resnet50) PY_NEEDS=(python3-torch python3-torchvision python3-pil python3-numpy) ;;
  *) echo "bench/train.sh: ARCH must be lenet, food101, mnist, arctic or resnet50 (the reference's networks), got $ARCH" >&2; exit 2 ;;
esac
bench_require_commands java mvn
bench_require_python "${PY_NEEDS[@]}"
(( RUNS >= 3 )) || echo "# RUNS=$RUNS: fewer than 3 runs, a check that the script works, not a figure" >&2
SCOPE="${BATCH_SCOPE:-worker}"
case "$SCOPE" in
  worker) WORKER_BATCH="$BATCH" ;;
  global) WORKER_BATCH=$((BATCH / 2)) ;;
  *) echo "bench/train.sh: BATCH_SCOPE must be worker or global, got $SCOPE" >&2; exit 2 ;;
esac
WH="${BENCH_WAREHOUSE:-/tmp/bench-train-$ARCH-$SIZE-${IMAGES_PER_CLASS:-250}-$SCOPE}"
cd "$ROOT"
rm -rf "$WH"; mkdir -p "$WH"
mvn -B -q -o -DskipTests -DskipShade package
mvn -B -q -o -pl pipeline test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
COMMON=(--set output.uri="file:$WH" --set image.height="$SIZE" --set image.width="$SIZE" --set model.architecture="$ARCH"
  --set train.epochs="$EPOCHS" --set train.batch-size-per-worker="$WORKER_BATCH" --set train.workers=2 --set split.validation-fraction=0
  --set spark.master=local[2] --set demo.images-per-class="${IMAGES_PER_CLASS:-250}")
# the corpus: the demo's synthetic shapes, generated and ingested once
bin/pipeline demo "${COMMON[@]}" --run-id corpus --set train.epochs=1 > /dev/null
CORPUS="$WH/corpus/corpus"
CP="pipeline/target/test-classes:pipeline/target/classes:$(cat pipeline/target/bench-classpath.txt)"
OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
JSONL="/tmp/train-bench-$ARCH-$SIZE-${IMAGES_PER_CLASS:-250}-$SCOPE.jsonl"; : > "$JSONL"
bench_versions torch torchvision PIL numpy
# Run i uses seed 41+i everywhere (weights, shuffling): test accuracy on 200 images swings by several points with
# the seed alone, so the medians are over RUNS seeds. "ours" trains with the default train.lr-scaling = none, "ours-linear"
# with linear scaling (learning rate x 2 workers).
run_reference() {
  OMP_NUM_THREADS=2 /usr/bin/python3 "$BENCH/reference_train.py" "$CORPUS" --size "$SIZE" --channels 3 --arch "$ARCH" \
    --epochs "$EPOCHS" --batch "$BATCH" --threads 2 --seed "$2" > "/tmp/train-bench-reference-$1.json"
  /usr/bin/python3 - "/tmp/train-bench-reference-$1.json" >> "$JSONL" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
print(json.dumps({"who": "reference", "train_samples_per_s": r["train_samples_per_s_median_epoch"],
                  "train_samples_per_s_all_epochs": r["train_samples_per_s"], "test_accuracy": r["test_accuracy"],
                  "versions": r["versions"]}))
PY
}
run_spark() {  # variant, run number, seed
  local variant=$1 i=$2 seed=$3 scaling=none trainer=spark-averaging exchange=auto
  [[ $variant == ours-linear ]] && scaling=linear
  [[ $variant == dl4j-spark ]] && trainer=dl4j-spark && exchange=job-per-round
  [[ $variant == ours-per-round ]] && exchange=job-per-round
  OMP_NUM_THREADS=1 bin/pipeline run "${COMMON[@]}" --run-id "$variant-$i" --set seed="$seed" --set train.lr-scaling="$scaling" \
    --set train.trainer="$trainer" --set train.exchange="$exchange" --set corpus.uri="file:$CORPUS" > "/tmp/train-bench-$variant-$i.log" 2>&1
  /usr/bin/python3 - "$WH/$variant-$i" "$variant" >> "$JSONL" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/metrics/epochs.csv")))
sps = sorted(float(r["samples_per_second"]) for r in rows)[len(rows) // 2]
# every epoch fits the same examples: the whole run's rate is the harmonic mean (the reference reports it too)
whole = len(rows) / sum(1 / float(r["samples_per_second"]) for r in rows)
acc = json.load(open(sys.argv[1] + "/evaluation.json"))["accuracy"]
print(json.dumps({"who": sys.argv[2], "train_samples_per_s": sps, "train_samples_per_s_all_epochs": round(whole, 1),
                  "test_accuracy": acc}))
PY
}
# The reference and the Spark variants take turns going first (run i rotates their order by i-1), so no variant
# always follows the same neighbour; plain DL4J goes last, as it trains on the shards "ours" ingested.
ORDER=(reference ${BENCH_VARIANTS:-ours ours-linear dl4j-spark})
for ((i = 1; i <= RUNS; i++)); do
  seed=$((41 + i))
  for k in "${!ORDER[@]}"; do
    who=${ORDER[$(( (k + i - 1) % ${#ORDER[@]} ))]}
    if [[ $who == reference ]]; then run_reference "$i" "$seed"; else run_spark "$who" "$i" "$seed"; fi
  done
  [[ ${PLAIN:-1} == 1 ]] || continue
  SPARK_LOCAL_IP=127.0.0.1 java $OPENS -XX:TieredStopAtLevel=1 -Dorg.bytedeco.javacpp.maxphysicalbytes=0 -Xmx4g -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" -cp "$CP" \
    org.sparkcnn.pipeline.bench.TrainBench "file:$WH" "ours-$i" "$EPOCHS" "$BATCH" --set model.architecture="$ARCH" --set seed="$seed" 2>/dev/null \
    | sed 's/"who": "[^"]*"/"who": "plain"/' >> "$JSONL"
done
/usr/bin/python3 - "$JSONL" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
med, whole = {}, {}
for who in ("reference", "ours", "ours-per-round", "ours-linear", "dl4j-spark", "plain"):
    r = [x for x in rows if x["who"] == who]
    if not r:
        continue
    med[who] = (statistics.median(x["train_samples_per_s"] for x in r), statistics.median(x["test_accuracy"] for x in r))
    if "train_samples_per_s_all_epochs" in r[0]:
        whole[who] = statistics.median(x["train_samples_per_s_all_epochs"] for x in r)
    print("%-11s train samples/s %8.1f   test accuracy %.4f   (runs: %s)" % (who, med[who][0], med[who][1],
          [round(x["train_samples_per_s"], 1) for x in r]))
for who in [w for w in ("ours", "ours-per-round", "ours-linear", "dl4j-spark") if w in med]:
    print("%s / reference samples/s (median epochs): %.2fx; accuracy difference %+.4f"
          % (who, med[who][0] / med["reference"][0], med[who][1] - med["reference"][1]))
    print("  over all epochs, warm-up included: %s %.1f samples/s, reference %.1f: %.2fx"
          % (who, whole[who], whole["reference"], whole[who] / whole["reference"]))
if "ours" in med and "plain" in med:
    print("ours (Spark, local[2]) / plain DL4J fit: %.2fx" % (med["ours"][0] / med["plain"][0]))
if "ours-per-round" in med and "ours" in med:
    print("ours (barrier exchange) / ours-per-round (a job per round): %.2fx" % (med["ours"][0] / med["ours-per-round"][0]))
if "dl4j-spark" in med and "ours" in med:
    print("ours / dl4j-spark trainer: %.2fx" % (med["ours"][0] / med["dl4j-spark"][0]))
PY
