#!/usr/bin/env bash
# Executes the notebooks headless, top to bottom, against a tiny demo run; fails when any cell fails.
#   notebooks/run-notebooks.sh [OUT_DIR]
# Makes a small demo run in a temporary warehouse (with bin/pipeline, which builds the project on first use
# only), its augment-preview.png and predictions, then runs explore_run.ipynb on it and launch_training.ipynb,
# which starts and follows a run of its own. The executed copies go to OUT_DIR (default: a new temporary
# folder); the committed notebooks are never rewritten. Needs jupyter nbconvert with a python3 kernel that
# has pandas and matplotlib (Debian: jupyter-nbconvert python3-ipykernel python3-matplotlib python3-pandas).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
OUT="${1:-$(mktemp -d "${TMPDIR:-/tmp}/spark-cnn-notebooks.XXXXXX")}"
mkdir -p "$OUT"
WAREHOUSE="$OUT/warehouse"
RUN_ID="nb-explore"
started=$(date +%s)

# Small but not trivial: 10 epochs of 400 training images, test accuracy about 0.8. The augmentation is the
# tutorials' kind, so the preview has something to show; augment-preview gets the same settings (it draws from
# the config).
AUGMENT=(--set augment.rotation-range=10 --set augment.width-shift-range=0.1 --set augment.horizontal-flip=true)
COMMON=(--conf conf/demo.conf --run-id "$RUN_ID" --set "output.uri=file:$WAREHOUSE")

echo "== demo run $RUN_ID into $WAREHOUSE"
bin/pipeline demo "${COMMON[@]}" "${AUGMENT[@]}" --set train.epochs=10 --set demo.images-per-class=150 \
  > "$OUT/demo.log" 2>&1 || { tail -40 "$OUT/demo.log"; exit 1; }
grep -E '^(epoch [0-9]+/|evaluate:|done:)' "$OUT/demo.log"

echo "== augment-preview"
bin/pipeline augment-preview "${COMMON[@]}" "${AUGMENT[@]}" --n 8 > "$OUT/augment-preview.log" 2>&1 \
  || { tail -40 "$OUT/augment-preview.log"; exit 1; }
tail -1 "$OUT/augment-preview.log"

echo "== predict: the first and last held-out image of each class"
corpus="$WAREHOUSE/$RUN_ID/corpus"
images=()
for cls in $(cat "$corpus/meta/classes.txt"); do
  images+=("$corpus/images/$(grep -m1 "^$cls/" "$corpus/meta/test.txt").jpg")
  images+=("$corpus/images/$(grep "^$cls/" "$corpus/meta/test.txt" | tail -1).jpg")
done
bin/pipeline predict "${COMMON[@]}" "${images[@]}" > "$OUT/predict.log" 2>&1 || { tail -40 "$OUT/predict.log"; exit 1; }
grep 'confidence' "$OUT/predict.log"

execute() {  # notebook, then VAR=value environment for it
  local notebook="$1"
  shift
  echo "== executing notebooks/$notebook"
  env "$@" jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=600 \
    --ExecutePreprocessor.kernel_name=python3 --output-dir "$OUT/executed" "notebooks/$notebook"
}
export PYDEVD_DISABLE_FILE_VALIDATION=1  # quiets ipykernel's debugger warning about frozen modules
execute explore_run.ipynb WAREHOUSE="$WAREHOUSE" RUN_ID="$RUN_ID" RUN_ROOT= USE_SPARK=0
execute launch_training.ipynb WAREHOUSE="$OUT/launch-warehouse" RUN_ID=nb-launch VERB=demo CONF=conf/demo.conf \
  TRAIN_EPOCHS=3 DEMO_IMAGES_PER_CLASS=40 POLL_SECONDS=1 MAX_MINUTES=10 SPARK_CNN_JAR=

echo "notebooks OK in $(( $(date +%s) - started )) s; executed copies in $OUT/executed"
