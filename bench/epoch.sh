#!/usr/bin/env bash
# What a whole training epoch costs against its fitting, at Food-101's resolution, side by side with the PyTorch
# reference's fitting rate on the same JPEGs:
#   ours: bin/pipeline train on local[2] (2 workers x batch 16, the food101 net, 10 % validation), once with
#         train.training-metrics = fitting (the default: training loss and accuracy from the fitting steps) and once
#         with full-pass (a distributed evaluation of the training split after every epoch)
#   reference: bench/reference_train.py (PyTorch, 2 threads, batch 32, the same network), fitting only
# Per variant it reports the median over RUNS of: the epoch's wall seconds over its fitting seconds (epochs.csv:
# seconds, and training examples / samples_per_second), and whole-epoch training samples/s (training examples /
# the epoch's wall seconds, validation included) against the reference's fitting samples/s.
#   bench/epoch.sh [SIZE] [IMAGES] [EPOCHS]        defaults 200 1200 2; CLASSES (default 6) classes of real
#   photographs from bench/make_photo_corpus.py, three quarters of them training images; ARCH (default food101; also
#   resnet50 and vgg16, whose references are torchvision's, and alexnet, DL4J zoo's) picks the network, VARIANTS (default "fitting full-pass") our
#   runs: a train.training-metrics value, then +c1 or +c2 for the JIT (PIPELINE_JIT; without either, bin/pipeline's own
#   choice: C2 for resnet50, vgg16 and alexnet, C1 alone for the others) and/or +nd4j for DL4J's layers and libnd4j's
#   kernels without our Java kernels (-Dsparkcnn.kernels=nd4j)
# Needs /usr/bin/python3 with Debian's python3-torch, python3-pil, python3-numpy and python3-skimage, Java 17 and
# Maven; missing Debian packages are installed when run as root (bench/require.sh). RUNS (default 3): fewer only
# check that the script works.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
# shellcheck source=require.sh
source "$BENCH/require.sh"
SIZE="${1:-200}"; IMAGES="${2:-1200}"; EPOCHS="${3:-2}"; RUNS="${RUNS:-3}"; CLASSES="${CLASSES:-6}"
ARCH="${ARCH:-food101}"; read -r -a VARIANT_LIST <<< "${VARIANTS:-fitting full-pass}"
bench_require_commands java mvn
bench_require_python python3-torch python3-pil python3-numpy python3-skimage
[[ $ARCH == resnet50 || $ARCH == vgg16 ]] && bench_require_python python3-torchvision
(( RUNS >= 3 )) || echo "# RUNS=$RUNS: fewer than 3 runs, a check that the script works, not a figure" >&2
CORPUS="${BENCH_CORPUS:-/tmp/bench-epoch-photos-$IMAGES-$CLASSES}"
[[ -d $CORPUS/images ]] || /usr/bin/python3 "$BENCH/make_photo_corpus.py" "$CORPUS" --images "$IMAGES" --classes "$CLASSES"
WH="/tmp/bench-epoch-$ARCH-$SIZE-$IMAGES-$CLASSES"
JSONL="$WH.jsonl"; : > "$JSONL"
rm -rf "$WH"; mkdir -p "$WH"
cd "$ROOT"
mvn -B -q -o -DskipTests -DskipShade package
bench_versions torch PIL numpy
COMMON=(--set output.uri="file:$WH" --set corpus.uri="file:$CORPUS" --set image.height="$SIZE" --set image.width="$SIZE"
  --set model.architecture="$ARCH" --set train.epochs="$EPOCHS" --set train.batch-size-per-worker=16 --set train.workers=2
  --set spark.master=local[2] --set split.validation-fraction=0.1)

run_ours() {  # variant (a train.training-metrics value, then +c1 or +c2, and/or +nd4j), run number, seed
  local run="${1//+/-}-$2" opts="" jit=""
  [[ $1 == *+c1* ]] && jit=c1
  [[ $1 == *+c2* ]] && jit=c2
  [[ $1 == *+nd4j* ]] && opts+=" -Dsparkcnn.kernels=nd4j"
  bin/pipeline ingest "${COMMON[@]}" --run-id "$run" --set seed="$3" > "/tmp/bench-epoch-$run.log" 2>&1
  PIPELINE_JIT="$jit" PIPELINE_JAVA_OPTS="${PIPELINE_JAVA_OPTS:-}$opts" OMP_NUM_THREADS=1 bin/pipeline train \
    "${COMMON[@]}" --run-id "$run" --set seed="$3" --set train.training-metrics="${1%%+*}" \
    >> "/tmp/bench-epoch-$run.log" 2>&1
  /usr/bin/python3 - "$WH/$run" "$1" >> "$JSONL" <<'PY'
import csv, json, statistics, sys
run, who = sys.argv[1], sys.argv[2]
manifest = json.load(open(run + "/manifest.json"))
train = sum(s["examples"] for s in manifest["shards"] if s["split"] == "train")
rows = list(csv.DictReader(open(run + "/metrics/epochs.csv")))
fit = [train / float(r["samples_per_second"]) for r in rows]
wall = [float(r["seconds"]) for r in rows]
print(json.dumps({"who": who, "train_images": train, "epoch_over_fit": statistics.median(w / f for w, f in zip(wall, fit)),
                  "epoch_samples_per_s": statistics.median(train / w for w in wall),
                  "fit_samples_per_s": statistics.median(float(r["samples_per_second"]) for r in rows),
                  "train_accuracy": [round(float(r["train_accuracy"]), 4) for r in rows]}))
PY
}
run_reference() {  # run number, seed
  OMP_NUM_THREADS=2 /usr/bin/python3 "$BENCH/reference_train.py" "$CORPUS" --size "$SIZE" --channels 3 --arch "$ARCH" \
    --epochs "$EPOCHS" --batch 32 --threads 2 --seed "$2" > "/tmp/bench-epoch-reference-$1.json"
  /usr/bin/python3 - "/tmp/bench-epoch-reference-$1.json" >> "$JSONL" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
print(json.dumps({"who": "reference", "fit_samples_per_s": r["train_samples_per_s_median_epoch"], "versions": r["versions"]}))
PY
}
# the three take turns going first, so none always follows the same neighbour
ORDER=(reference "${VARIANT_LIST[@]}")
for ((i = 1; i <= RUNS; i++)); do
  for k in "${!ORDER[@]}"; do
    who=${ORDER[$(( (k + i - 1) % ${#ORDER[@]} ))]}
    if [[ $who == reference ]]; then run_reference "$i" $((41 + i)); else run_ours "$who" "$i" $((41 + i)); fi
  done
done
/usr/bin/python3 - "$JSONL" "${VARIANT_LIST[@]}" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ref = statistics.median(r["fit_samples_per_s"] for r in rows if r["who"] == "reference")
print("reference   fitting samples/s %.1f" % ref)
for who in sys.argv[2:]:
    r = [x for x in rows if x["who"] == who]
    ratio = statistics.median(x["epoch_over_fit"] for x in r)
    epoch = statistics.median(x["epoch_samples_per_s"] for x in r)
    fit = statistics.median(x["fit_samples_per_s"] for x in r)
    print("%-11s epoch / fitting time %.2f   whole-epoch samples/s %.1f (%.2fx the reference's fitting)   "
          "fitting samples/s %.1f (%.2fx)" % (who, ratio, epoch, epoch / ref, fit, fit / ref))
PY
