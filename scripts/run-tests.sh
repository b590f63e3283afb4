#!/usr/bin/env bash
# From a fresh clone: install the dependencies, build onnxc with its tests, and run them all
# with ctest (lit, unit, end-to-end, and the installed-package consumer test).
#
#   bash scripts/run-tests.sh [ctest args...]      e.g. -R e2e, -L package
#
# Then the same suite again on an ASan+UBSan build (build-asan), and a check that two builds of
# onnxc give byte-identical outputs.
#
# Environment: ONNXC_BUILD_DIR (default build), ONNXC_SKIP_DEPS=1 to skip install-deps.sh,
# CTEST_PARALLEL_LEVEL (default: the number of CPUs), ONNXC_ASAN_BUILD_DIR (default build-asan),
# ONNXC_SKIP_SANITIZE=1 to skip the sanitizer pass, ONNXC_E2E_SAMPLE / ONNXC_E2E_SEED (the
# e2e models the sanitizer pass runs: how many, and the seed of the draw; default 32 and 1).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD=${ONNXC_BUILD_DIR:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac

step() { echo; echo "==> $*"; }

if [ "${ONNXC_SKIP_DEPS:-0}" != 1 ]; then
  step "installing dependencies (scripts/install-deps.sh)"
  bash scripts/install-deps.sh
fi

step "configuring and building onnxc with tests in $BUILD"
gen=()
[ -f "$BUILD/CMakeCache.txt" ] || gen=(-G Ninja)
cmake -S . -B "$BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DONNXC_BUILD_TESTS=ON
cmake --build "$BUILD"

jobs=${CTEST_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}
step "running the tests (ctest -j$jobs)"
status=0
ctest --test-dir "$BUILD" --output-on-failure -j"$jobs" "$@" || status=$?

# The consumer test is normally registered with ctest (test/package); run it directly if not.
if [ $# -eq 0 ] && ! ctest --test-dir "$BUILD" -N -R '^package\.' | grep -q 'Test *#'; then
  step "installed-package consumer test (test/package/run_package_test.sh)"
  bash test/package/run_package_test.sh "$BUILD" examples/digits "$BUILD/test/package/work" \
    || status=1
fi

# --- sanitizer pass: the same suite on an ASan+UBSan build (ONNXC_SANITIZE) ----------------------
# Skipped when ctest args select tests, or with ONNXC_SKIP_SANITIZE=1. The e2e suite is heavy
# (about 90 models, each compiled and linked): under the sanitizers it runs a seeded random sample
# of ONNXC_E2E_SAMPLE models (run_e2e.py --sample), never a hand-picked list.
if [ $# -eq 0 ] && [ "${ONNXC_SKIP_SANITIZE:-0}" != 1 ]; then
  ASAN_BUILD=${ONNXC_ASAN_BUILD_DIR:-build-asan}
  case "$ASAN_BUILD" in /*) ;; *) ASAN_BUILD=$ROOT/$ASAN_BUILD ;; esac
  step "configuring and building the ASan+UBSan build in $ASAN_BUILD"
  gen=()
  [ -f "$ASAN_BUILD/CMakeCache.txt" ] || gen=(-G Ninja)
  asan_start=$(date +%s)
  cmake -S . -B "$ASAN_BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DONNXC_SANITIZE=ON \
    -DONNXC_BUILD_TESTS=ON
  cmake --build "$ASAN_BUILD"
  echo "sanitizer build: $(( $(date +%s) - asan_start ))s"

  step "running the tests under ASan+UBSan (e2e: a sample of ${ONNXC_E2E_SAMPLE:-32} models)"
  # libMLIR/libLLVM are not instrumented: ASan sees only onnxc's own code and runtime-lite.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
  export ONNXC_E2E_SAMPLE=${ONNXC_E2E_SAMPLE:-32} ONNXC_E2E_SEED=${ONNXC_E2E_SEED:-1}
  ctest --test-dir "$ASAN_BUILD" --output-on-failure -j"$jobs" || status=1
  echo "sanitizer build + tests: $(( $(date +%s) - asan_start ))s"

  step "determinism: byte-identical outputs from two compiles and from two builds of onnxc"
  bash scripts/check-determinism.sh "$BUILD/bin/onnxc" "$ASAN_BUILD/bin/onnxc" \
    "$ASAN_BUILD/determinism" || status=1
fi

if [ $status -ne 0 ]; then
  echo; echo "run-tests: FAILED"; exit $status
fi
echo; echo "run-tests: all tests passed"
