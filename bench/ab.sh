#!/usr/bin/env bash
# Interleaved A/B of two runtime-lite versions on one compiled model: the figures behind the
# "interleaved A/B" percentages in docs/microkernels.md and the commit messages.
#
#   bench/ab.sh REV_A REV_B MODEL_DIR [THREADS] [ROUNDS]
#
# REV_A / REV_B: git revisions (or "." for the working tree) whose runtime-lite/ is built
# standalone (`cmake -S runtime-lite`, Release). MODEL_DIR: a bench work directory with
# model.o and NAME.in0.bin (python3 bench/run_bench.py leaves one per model in
# /tmp/onnxc-bench/NAME). The model object is the same for both sides, so this compares
# run-time kernels only; a change that alters what onnxc emits needs two objects instead.
# Each round runs A, then B (bench/driver.cpp, its median of timed runs), so slow stretches
# of the machine hit both sides alike. Prints each round and the median of each side.
set -euo pipefail
if [ $# -lt 3 ]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
A=$1 B=$2 DIR=$3 THREADS=${4:-1} ROUNDS=${5:-5}
INPUT=$(ls "$DIR"/*.in0.bin | head -1)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

build() { # build REV SIDE: runtime-lite of REV -> $WORK/SIDE/driver
  local src=$WORK/$2-src
  mkdir -p "$src"
  if [ "$1" = . ]; then
    cp -r "$ROOT/runtime-lite" "$src/"
  else
    git -C "$ROOT" archive "$1" runtime-lite | tar -x -C "$src"
  fi
  cmake -S "$src/runtime-lite" -B "$WORK/$2" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$WORK/$2" >/dev/null
  c++ -O2 -std=c++17 -pthread -I "$src/runtime-lite/include" "$ROOT/bench/driver.cpp" \
    "$DIR/model.o" "$(find "$WORK/$2" -name libonnxc_rt.a | head -1)" -o "$WORK/$2/driver"
}
build "$A" a
build "$B" b

median_us() { "$1" --threads "$THREADS" --min-time-s 1 "$INPUT" | sed -n 's/.*median_us=\([0-9.]*\).*/\1/p'; }
: >"$WORK/a.txt"
: >"$WORK/b.txt"
for r in $(seq "$ROUNDS"); do
  ta=$(median_us "$WORK/a/driver")
  tb=$(median_us "$WORK/b/driver")
  echo "$ta" >>"$WORK/a.txt"
  echo "$tb" >>"$WORK/b.txt"
  echo "round $r: A $ta us  B $tb us"
done
med() { sort -g "$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ma=$(med "$WORK/a.txt")
mb=$(med "$WORK/b.txt")
echo "median: A ($A) $ma us  B ($B) $mb us  B/A $(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.3f", b / a}')  threads=$THREADS"
