#!/usr/bin/env bash
# Checks that onnxc's output depends only on its input: each model is compiled twice by ONNXC_A
# (into different folders) and once by ONNXC_B, a separately built onnxc (e.g. the ASan build of
# the same source), and every model.o / model.h must be byte-identical. A difference means
# something like pointer-keyed iteration order, uninitialised memory or a time stamp leaks into
# the output; a rebuilt or sanitised onnxc changes heap addresses, so it shows those up.
#
#   scripts/check-determinism.sh ONNXC_A ONNXC_B WORKDIR [MODEL.onnx...]
#
# Without models: examples/digits/digits.onnx and a few e2e models (test/e2e/gen_models.py,
# needs python onnx). Exit 0 if all identical, 1 otherwise.
set -euo pipefail

if [ $# -lt 3 ]; then
  sed -n '2,11p' "$0"; exit 2
fi
A=$1 B=$2 WORK=$3
shift 3
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rm -rf "$WORK"
mkdir -p "$WORK"
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  models=("$ROOT/examples/digits/digits.onnx")
  # One of each kind of op family: convolution + pooling, contractions, normalisation.
  if python3 "$ROOT/test/e2e/gen_models.py" "$WORK/models" \
       --filter '^(tiny_cnn|mlp|attention_head|conv_asym_pads_strides)$' > /dev/null 2>&1; then
    models+=("$WORK"/models/*.onnx)
  else
    echo "check-determinism: gen_models.py failed (python onnx missing?); digits.onnx only"
  fi
fi

failed=0
for model in "${models[@]}"; do
  name=$(basename "$model" .onnx)
  for run in a1 a2 b; do
    exe=$A; [ $run = b ] && exe=$B
    mkdir -p "$WORK/$name/$run"
    if ! "$exe" "$model" -o "$WORK/$name/$run/model.o" --name model \
         > "$WORK/$name/$run/log" 2>&1; then
      echo "FAIL $name: $exe exited non-zero:"; sed 's/^/    /' "$WORK/$name/$run/log"
      failed=1; continue 2
    fi
  done
  bad=""
  for f in model.o model.h; do
    cmp -s "$WORK/$name/a1/$f" "$WORK/$name/a2/$f" || bad+=" $f(same onnxc twice)"
    cmp -s "$WORK/$name/a1/$f" "$WORK/$name/b/$f" || bad+=" $f(other build)"
  done
  if [ -n "$bad" ]; then
    echo "FAIL $name: differs:$bad (outputs in $WORK/$name)"; failed=1
  else
    echo "PASS $name: model.o and model.h byte-identical across 3 compiles, 2 builds"
  fi
done
exit $failed
