#!/usr/bin/env bash
# From a fresh clone: install the dependencies, build onnxc with its tests, and run them all
# with ctest (lit, unit, end-to-end, and the installed-package consumer test).
#
#   bash scripts/run-tests.sh [ctest args...]      e.g. -R e2e, -L package
#
# Environment: ONNXC_BUILD_DIR (default build), ONNXC_SKIP_DEPS=1 to skip install-deps.sh,
# CTEST_PARALLEL_LEVEL (default: the number of CPUs).
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

if [ $status -ne 0 ]; then
  echo; echo "run-tests: FAILED"; exit $status
fi
echo; echo "run-tests: all tests passed"
