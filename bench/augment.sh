#!/usr/bin/env bash
# Augmentation throughput side by side, one thread each, 200x200x3, the Keras tutorial settings:
#   ours: pipeline/src/test/java/org/sparkcnn/pipeline/bench/AugmentBench.java (Java)
#   peer: bench/augment_peer.py (PIL + numpy, or torchvision when installed), run with /usr/bin/python3
# Prints each side's JSON line and the ratio ours / peer. IMAGES=500 by default; MVN_OFFLINE=-o by default.
# Both run pinned to one CPU (taskset -c 0) when taskset exists.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
IMAGES="${IMAGES:-500}"
PY="${PEER_PYTHON:-/usr/bin/python3}"
cd "$ROOT"

mvn -B -q ${MVN_OFFLINE--o} -pl pipeline test-compile >&2
CP_FILE="$ROOT/pipeline/target/bench-classpath.txt"
mvn -B -q ${MVN_OFFLINE--o} -pl pipeline dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$CP_FILE" >&2
CP="pipeline/target/test-classes:pipeline/target/classes:$(cat "$CP_FILE")"

PIN=()
if command -v taskset >/dev/null 2>&1; then PIN=(taskset -c 0); fi
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

LOG="$(mktemp)"
trap 'rm -f "$LOG"' EXIT
ours() {
  if ! "${PIN[@]}" java -Xmx2g -Dorg.bytedeco.javacpp.maxbytes=2G \
      -cp "$CP" org.sparkcnn.pipeline.bench.AugmentBench --images "$IMAGES" "$@" >"$LOG" 2>&1; then
    cat "$LOG" >&2
    exit 1
  fi
  grep '^{' "$LOG"
}
OURS_NEAREST="$(ours --fill-mode nearest --path example)"
OURS_CONSTANT="$(ours --fill-mode constant --path example)"
OURS_BATCH="$(ours --fill-mode nearest --path batch)"
PEER="$("${PIN[@]}" "$PY" bench/augment_peer.py --images "$IMAGES")"

echo "ours  (nearest, per example):   $OURS_NEAREST"
echo "ours  (constant, per example):  $OURS_CONSTANT"
echo "ours  (nearest, DataSet batch): $OURS_BATCH"
echo "peer  (constant):               $PEER"
"$PY" - "$OURS_NEAREST" "$OURS_CONSTANT" "$OURS_BATCH" "$PEER" <<'PYEOF'
import json, sys
near, const, batch, peer = (json.loads(s) for s in sys.argv[1:])
p = peer["images_per_s"]
print(json.dumps({"bench": "augment_ratio", "peer_images_per_s": p,
                  "ours_nearest_images_per_s": near["images_per_s"],
                  "ours_constant_images_per_s": const["images_per_s"],
                  "ours_batch_images_per_s": batch["images_per_s"],
                  "ratio_ours_constant_over_peer": round(const["images_per_s"] / p, 3),
                  "ratio_ours_nearest_over_peer": round(near["images_per_s"] / p, 3),
                  "ratio_ours_batch_over_peer": round(batch["images_per_s"] / p, 3)}))
PYEOF
