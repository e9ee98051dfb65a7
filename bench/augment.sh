#!/usr/bin/env bash
# Augmentation throughput side by side, one thread each, 200x200x3, the Keras tutorial settings:
#   ours: pipeline/src/test/java/org/sparkcnn/pipeline/bench/AugmentBench.java (Java)
#   reference: bench/reference_augment.py, run with /usr/bin/python3 twice: --impl pil (PIL's affine transform with
#          Keras' matrix + numpy, the same draws and composition as ours) and --impl torchvision (RandomAffine)
# Prints each side's JSON line and the ratios ours / reference. IMAGES=500 by default; MVN_OFFLINE=-o by default.
# Each process runs pinned to one CPU (taskset -c 0) when taskset exists; every side reports the median of 3
# timed passes of its own. Run it 3 times on an otherwise idle machine and report the median ratio.
# Needs /usr/bin/python3 with Debian's python3-pil, python3-numpy, python3-torch and python3-torchvision, Java 17 and
# Maven; missing Debian packages are installed when run as root (bench/require.sh).
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
# shellcheck source=require.sh
source "$BENCH/require.sh"
IMAGES="${IMAGES:-500}"
PY=/usr/bin/python3
bench_require_commands java mvn
bench_require_python python3-pil python3-numpy python3-torch python3-torchvision
cd "$ROOT"
bench_versions PIL numpy torch torchvision >&2

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
REF_PIL="$("${PIN[@]}" "$PY" "$BENCH/reference_augment.py" --images "$IMAGES" --impl pil)"
REF_TV="$("${PIN[@]}" "$PY" "$BENCH/reference_augment.py" --images "$IMAGES" --impl torchvision)"

echo "ours  (nearest, per example):   $OURS_NEAREST"
echo "ours  (constant, per example):  $OURS_CONSTANT"
echo "ours  (nearest, DataSet batch): $OURS_BATCH"
echo "reference (PIL, constant):      $REF_PIL"
echo "reference (torchvision):        $REF_TV"
"$PY" - "$OURS_NEAREST" "$OURS_CONSTANT" "$OURS_BATCH" "$REF_PIL" "$REF_TV" <<'PYEOF'
import json, sys
near, const, batch, pil, tv = (json.loads(s) for s in sys.argv[1:])
p, t = pil["images_per_s"], tv["images_per_s"]
print(json.dumps({"bench": "augment_ratio", "reference_pil_images_per_s": p, "reference_torchvision_images_per_s": t,
                  "ours_nearest_images_per_s": near["images_per_s"],
                  "ours_constant_images_per_s": const["images_per_s"],
                  "ours_batch_images_per_s": batch["images_per_s"],
                  "ratio_ours_constant_over_reference_pil": round(const["images_per_s"] / p, 3),
                  "ratio_ours_nearest_over_reference_pil": round(near["images_per_s"] / p, 3),
                  "ratio_ours_batch_over_reference_pil": round(batch["images_per_s"] / p, 3),
                  "ratio_ours_constant_over_reference_torchvision": round(const["images_per_s"] / t, 3),
                  "versions": pil["versions"] | {k: v for k, v in tv["versions"].items() if k != "debian"}
                              | {"debian": pil["versions"].get("debian", {}) | tv["versions"].get("debian", {})}}))
PYEOF
