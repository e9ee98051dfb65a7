#!/usr/bin/env bash
# Ingest benchmark, side by side on the same files: our decoders (1 thread each), our whole IngestJob on
# local[CORES], and the PIL reference (bench/reference_decode.py: PIL decode + stretch resize, 1 thread; each side
# decodes 100 images untimed first).
# Median of RUNS runs (default 3; fewer only to check the script works, never for a figure).
#   bench/ingest.sh [CORPUS] [SIZE] [CORES]      (defaults: /tmp/photos 200 2)
#   CORPUS is a Food-101-layout folder; when it has no images/ folder, bench/make_photo_corpus.py writes
#   PHOTO_IMAGES (default 1200) real-photograph JPEGs there first.
# Needs /usr/bin/python3 with Debian's python3-pil and python3-numpy (python3-skimage to build the corpus), Java 17
# and Maven; missing Debian packages are installed when run as root (bench/require.sh).
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
# shellcheck source=require.sh
source "$BENCH/require.sh"
CORPUS="${1:-/tmp/photos}"; SIZE="${2:-200}"; CORES="${3:-2}"; RUNS="${RUNS:-3}"
CORPUS="$(mkdir -p "$CORPUS" && cd "$CORPUS" && pwd)"
bench_require_commands java mvn
if [[ -d "$CORPUS/images" ]]; then
  bench_require_python python3-pil python3-numpy
else
  bench_require_python python3-pil python3-numpy python3-skimage
  /usr/bin/python3 "$BENCH/make_photo_corpus.py" "$CORPUS" --images "${PHOTO_IMAGES:-1200}" --classes 6
fi
(( RUNS >= 3 )) || echo "# RUNS=$RUNS: fewer than 3 runs, a check that the script works, not a figure" >&2
OUT="${BENCH_OUT:-/tmp}"; mkdir -p "$OUT"
cd "$ROOT"
mvn -B -q -o -pl pipeline test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="pipeline/target/test-classes:pipeline/target/classes:$(cat pipeline/target/bench-classpath.txt)"
OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
bench_versions PIL numpy
echo "# reference: $RUNS runs"
for ((i = 1; i <= RUNS; i++)); do
  OMP_NUM_THREADS=1 /usr/bin/python3 "$BENCH/reference_decode.py" "$CORPUS" --size "$SIZE" --channels 3 --warmup 100
done | tee "$OUT/ingest-reference.jsonl"
echo "# ours"
SPARK_LOCAL_IP=127.0.0.1 OMP_NUM_THREADS=1 java $OPENS -Xmx4g -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
  -cp "$CP" org.sparkcnn.pipeline.bench.IngestBench "$CORPUS" "$SIZE" "$CORES" "$RUNS" | tee "$OUT/ingest-ours.jsonl"
/usr/bin/python3 - "$OUT/ingest-reference.jsonl" "$OUT/ingest-ours.jsonl" <<'PY'
import json, statistics, sys
ref = statistics.median(json.loads(l)["images_per_s"] for l in open(sys.argv[1]))
print("reference median: %.1f images/s (PIL, 1 process)" % ref)
for l in open(sys.argv[2]):
    r = json.loads(l)
    per_core = r.get("images_per_s_per_core", r["images_per_s"])
    print("%-34s %8.1f images/s per core  = %.2fx the reference" % (r["who"], per_core, per_core / ref))
PY
