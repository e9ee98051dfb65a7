#!/usr/bin/env bash
# Ingest benchmark, side by side on the same files: our decoders (1 thread each), our whole IngestJob on
# local[CORES], and the peer's PIL path (shared/peers/torch_peer.py's load(), 1 thread). Median of 3 runs.
#   bench/ingest.sh [CORPUS] [SIZE] [CORES]      (defaults: /tmp/photos 200 2)
# Needs /usr/bin/python3 with python3-torch, python3-pil, python3-skimage (apt-get install ...).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CORPUS="${1:-/tmp/photos}"; SIZE="${2:-200}"; CORES="${3:-2}"
[[ -d "$CORPUS/images" ]] || /usr/bin/python3 "$ROOT/bench/make_photo_corpus.py" "$CORPUS" --images 1200 --classes 6
cd "$ROOT"
mvn -B -q -o -pl pipeline test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
CP="pipeline/target/test-classes:pipeline/target/classes:$(cat pipeline/target/bench-classpath.txt)"
OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
echo "# peer: 3 runs"
for i in 1 2 3; do /usr/bin/python3 bench/ingest_peer.py "$CORPUS" --size "$SIZE" --channels 3; done | tee /tmp/ingest-peer.jsonl
echo "# ours"
SPARK_LOCAL_IP=127.0.0.1 OMP_NUM_THREADS=1 java $OPENS -Xmx4g -Dlog4j2.configurationFile="$ROOT/conf/log4j2.properties" \
  -cp "$CP" org.sparkcnn.pipeline.bench.IngestBench "$CORPUS" "$SIZE" "$CORES" 3 | tee /tmp/ingest-ours.jsonl
/usr/bin/python3 - <<'PY'
import json, statistics
peer = statistics.median(json.loads(l)["images_per_s"] for l in open("/tmp/ingest-peer.jsonl"))
print("peer median: %.1f images/s (1 process)" % peer)
for l in open("/tmp/ingest-ours.jsonl"):
    r = json.loads(l)
    per_core = r.get("images_per_s_per_core", r["images_per_s"])
    print("%-34s %8.1f images/s per core  = %.2fx the peer" % (r["who"], per_core, per_core / peer))
PY
