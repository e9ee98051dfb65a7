#!/usr/bin/env bash
# Food-101 at its size: a 101-class corpus of real-photograph JPEGs (up to 512 px, Food-101's layout and 750/250
# split, from bench/make_photo_corpus.py) through every stage on local[2], one after the other:
#   ingest at 64x64 (and again with a 1 GiB driver heap), train 1 epoch of the food101 net at 64x64, evaluate,
#   report, predict on 1,000 files; then, at the lesson's 200x200, ingest and 1 epoch of training on a
#   SUB_PER_CLASS-image-per-class part of the corpus (default 100: 10,100 images, about 270 steps of 2 x 16)
# For each stage: wall seconds, the JVM's peak resident memory (/usr/bin/time) and its peak heap in use (the largest
# heap before a collection, from -Xlog:gc). In local mode the driver and the executors share that JVM, so these
# bound the driver's figures from above; nothing may grow with the corpus there beyond the listing and manifest.
#   bench/food101.sh [IMAGES_PER_CLASS] [CLASSES]     defaults 1000 101 (101,000 images: the corpus takes a while)
# Needs /usr/bin/python3 with python3-pil and python3-skimage, /usr/bin/time, Java 17 and Maven. One run of each
# stage (a sizing run, not a ratio: the side-by-side figures are bench/ingest.sh, bench/train.sh and bench/epoch.sh).
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
# shellcheck source=require.sh
source "$BENCH/require.sh"
PER_CLASS="${1:-1000}"; CLASSES="${2:-101}"; SUB_PER_CLASS="${SUB_PER_CLASS:-100}"
bench_require_commands java mvn /usr/bin/time
bench_require_python python3-pil python3-skimage
CORPUS="${BENCH_CORPUS:-/tmp/bench-food101-$CLASSES-$PER_CLASS}"
IMAGES=$((PER_CLASS * CLASSES))
if [[ ! -f $CORPUS/meta/test.txt ]]; then
  echo "# writing $IMAGES JPEGs to $CORPUS" >&2
  /usr/bin/python3 "$BENCH/make_photo_corpus.py" "$CORPUS" --images "$IMAGES" --classes "$CLASSES"
fi
WH="/tmp/bench-food101-wh-$CLASSES-$PER_CLASS"
rm -rf "$WH"; mkdir -p "$WH"
cd "$ROOT"
mvn -B -q -o -DskipTests -DskipShade package
COMMON=(--set output.uri="file:$WH" --set corpus.uri="file:$CORPUS" --set image.height=64 --set image.width=64
  --set model.architecture=food101 --set train.epochs=1 --set train.batch-size-per-worker=16 --set train.workers=2
  --set spark.master=local[2] --set split.validation-fraction=0.1)
# 1,000 files to predict: the first test images
PREDICT="$WH/predict-inputs"; mkdir -p "$PREDICT"
head -n 1000 "$CORPUS/meta/test.txt" | while read -r id; do cp "$CORPUS/images/$id.jpg" "$PREDICT/${id//\//_}.jpg"; done
JSONL="$WH.jsonl"; : > "$JSONL"

stage() {  # name, extra JVM options, bin/pipeline arguments...
  local name=$1 opts=$2; shift 2
  local gc="/tmp/bench-food101-$name.gc" tm="/tmp/bench-food101-$name.time"
  PIPELINE_JAVA_OPTS="-Xlog:gc:file=$gc $opts" /usr/bin/time -v -o "$tm" bin/pipeline "$@" > "/tmp/bench-food101-$name.log" 2>&1
  /usr/bin/python3 - "$name" "$tm" "$gc" >> "$JSONL" <<'PY'
import json, re, sys
name, tm, gc = sys.argv[1:4]
t = open(tm).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1).split(":")
seconds = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
rss_mib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
before = [int(m.group(1)) for m in re.finditer(r"(\d+)M->\d+M\(\d+M\)", open(gc).read())]
print(json.dumps({"stage": name, "seconds": round(seconds, 1), "peak_rss_mib": round(rss_mib),
                  "peak_heap_used_mib": max(before) if before else None}))
PY
  tail -n 1 "$JSONL"
}
stage ingest "" ingest "${COMMON[@]}" --run-id food101
stage ingest-xmx1g "-Xmx1g" ingest "${COMMON[@]}" --run-id food101-1g
stage train "" train "${COMMON[@]}" --run-id food101
stage evaluate "" evaluate "${COMMON[@]}" --run-id food101
stage report "" report "${COMMON[@]}" --run-id food101
stage predict "" predict "${COMMON[@]}" --run-id food101 "$PREDICT"

# 200x200: the first SUB_PER_CLASS images of each class in the corpus's own split (hard links, same layout)
SUB="$WH/corpus-200"; mkdir -p "$SUB/meta" "$SUB/images"
cp "$CORPUS/meta/classes.txt" "$SUB/meta/"
for list in train test; do
  awk -F/ -v n="$SUB_PER_CLASS" -v share="$list" '{ if (++seen[$1] <= (share == "train" ? n * 3 / 4 : n / 4)) print }' \
    "$CORPUS/meta/$list.txt" > "$SUB/meta/$list.txt"
done
cat "$SUB/meta/train.txt" "$SUB/meta/test.txt" | while read -r id; do
  mkdir -p "$SUB/images/${id%%/*}"; ln "$CORPUS/images/$id.jpg" "$SUB/images/$id.jpg"
done
AT200=("${COMMON[@]}" --set corpus.uri="file:$SUB" --set image.height=200 --set image.width=200)
stage ingest-200 "" ingest "${AT200[@]}" --run-id food101-200
stage train-200 "" train "${AT200[@]}" --run-id food101-200
grep -h "^epoch " /tmp/bench-food101-train.log /tmp/bench-food101-train-200.log || true
echo "report: $WH/food101/report.html ($(du -h "$WH/food101/report.html" | cut -f1))"
