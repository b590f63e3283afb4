#!/usr/bin/env bash
# Fuzzes onnxc's front half (protobuf parse, import, verification, shape inference, graph
# passes, lowering, bufferization, workspace plan) with libFuzzer + ASan + UBSan.
#
#   scripts/fuzz.sh [SECONDS] [JOBS]        default 600 s, 1 job
#
# Builds build-fuzz/ (clang-22, -DONNXC_FUZZ=ON -DONNXC_SANITIZE=ON, only the onnxc-fuzz target),
# writes the seed corpus from the project's test models (test/fuzz/make_seeds.py), and fuzzes for
# SECONDS in libFuzzer's fork mode with JOBS workers, continuing after crashes so one run collects
# them all. The growing corpus stays in build-fuzz/corpus (not committed) so the next run starts
# where this one stopped. Every crash / timeout / OOM input is copied (crashes minimised first,
# when that is quick) to test/fuzz/regressions/, which ctest's fuzz_regressions replays in every
# build. Ends with the executions and the coverage (cov = edges, ft = features) reached.
#
# Environment: ONNXC_FUZZ_BUILD_JOBS (parallel compile jobs, default: nproc),
# ONNXC_FUZZ_DIR (default build-fuzz), ONNXC_FUZZ_ARGS (extra libFuzzer flags).
# Exit status: 0 if no new crash was found, 1 if some were (they are in test/fuzz/regressions/).
set -euo pipefail

SECONDS_TO_RUN=${1:-600}
JOBS=${2:-1}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD=${ONNXC_FUZZ_DIR:-$ROOT/build-fuzz}
REGRESSIONS=$ROOT/test/fuzz/regressions
step() { echo; echo "==> $*"; }

# --- toolchain: clang-22 and its libFuzzer/ASan runtimes (Debian's libclang-rt-22-dev) ---------
if ! command -v clang++-22 >/dev/null; then
  echo "fuzz.sh: clang++-22 not found (apt-get install clang-22)" >&2; exit 2
fi
if [ ! -e "$(clang++-22 -print-resource-dir)/lib/linux/libclang_rt.fuzzer-x86_64.a" ] &&
   [ -z "$(find "$(clang++-22 -print-resource-dir)/lib" -name 'libclang_rt.fuzzer*' -print -quit)" ]; then
  echo "fuzz.sh: libFuzzer runtime missing (apt-get install libclang-rt-22-dev)" >&2; exit 2
fi

# --- build -------------------------------------------------------------------------------------
# Release optimisation but without -DNDEBUG: asserts (ours, and those inlined from the LLVM/MLIR
# headers, e.g. cast<>) stay on, so a wrong cast is a clean report instead of silent UB.
step "building onnxc-fuzz in $BUILD"
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  CC=clang-22 CXX=clang++-22 cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_FLAGS_RELEASE="-O2 -gline-tables-only" \
    -DCMAKE_CXX_FLAGS_RELEASE="-O2 -gline-tables-only" \
    -DONNXC_FUZZ=ON -DONNXC_SANITIZE=ON -DONNXC_BUILD_TESTS=OFF
fi
cmake --build "$BUILD" --target onnxc-fuzz -j"${ONNXC_FUZZ_BUILD_JOBS:-$(nproc)}"
FUZZER=$BUILD/bin/onnxc-fuzz

# --- seeds, dictionary, corpus -----------------------------------------------------------------
step "seed corpus"
SEEDS=$BUILD/seeds
CORPUS=$BUILD/corpus
ARTIFACTS=$BUILD/artifacts
rm -rf "$SEEDS"
mkdir -p "$CORPUS" "$ARTIFACTS" "$REGRESSIONS"
python3 test/fuzz/make_seeds.py "$SEEDS"

# Op types and attribute names the importers look for: strings the fuzzer would hardly guess.
DICT=$BUILD/onnx.dict
{
  grep -ohE 'table\["[A-Za-z]+"\]' compiler/Import*.cpp | sed -E 's/table\[("[A-Za-z]+")\]/\1/'
  grep -ohE '(get(Int|Ints|Float|Floats|String|Tensor)|Attr)\("[a-z_]+"' compiler/*.cpp |
    sed -E 's/.*\(("[a-z_]+")/\1/'
  printf '%s\n' '"ai.onnx"' '"NOTSET"' '"SAME_UPPER"' '"SAME_LOWER"' '"VALID"' '"location"' \
    '"offset"' '"length"'
} | sort -u > "$DICT"

# --- fuzz ---------------------------------------------------------------------------------------
before=$(ls "$ARTIFACTS" | sort)
step "fuzzing for ${SECONDS_TO_RUN}s with $JOBS job(s); log in $BUILD/fuzz.log"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# Fork mode keeps going after a crash, timeout or OOM (each is saved to $ARTIFACTS), merges what
# the workers find into $CORPUS, and prints `#RUNS: cov: N ft: M ...` lines as it goes.
set +e
# shellcheck disable=SC2086
"$FUZZER" -fork="$JOBS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
  -dict="$DICT" -artifact_prefix="$ARTIFACTS/" ${ONNXC_FUZZ_ARGS:-} \
  "$CORPUS" "$SEEDS" > "$BUILD/fuzz.log" 2>&1
rc=$?
set -e

# --- collect artifacts ------------------------------------------------------------------------
new=$(comm -13 <(echo "$before") <(ls "$ARTIFACTS" | sort) || true)
found=0
for name in $new; do
  src=$ARTIFACTS/$name
  dst=$REGRESSIONS/$name
  found=$((found + 1))
  if [[ $name == crash-* ]]; then
    # Minimise for at most half a minute; keep the original if that does not produce anything.
    if timeout 60 "$FUZZER" -minimize_crash=1 -max_total_time=30 -runs=100000 \
         -exact_artifact_path="$dst.min" "$src" > "$BUILD/minimize-$name.log" 2>&1 &&
       [ -s "$dst.min" ]; then
      mv "$dst.min" "$dst"
    else
      rm -f "$dst.min"; cp "$src" "$dst"
    fi
  else
    cp "$src" "$dst"
  fi
  echo "new artifact: $dst"
done

# --- report -------------------------------------------------------------------------------------
# The last progress line has the totals: "#RUNS: cov: N ft: M corp: C exec/s: E ...".
last=$(grep -E '^#[0-9]+: cov: ' "$BUILD/fuzz.log" | tail -n 1 || true)
step "result"
echo "fuzzer exit status: $rc (log: $BUILD/fuzz.log)"
if [ -n "$last" ]; then
  echo "final: $last"
  echo "$last" | sed -E 's/^#([0-9]+): cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/executions: \1  coverage: cov \2 ft \3  corpus: \4 inputs/'
else
  tail -n 20 "$BUILD/fuzz.log"
fi
echo "new crash/timeout/oom inputs: $found (copied to test/fuzz/regressions/)"
[ "$found" -eq 0 ]
