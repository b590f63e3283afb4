#!/usr/bin/env bash
# From a fresh clone: install the dependencies, build onnxc, install it into build/install,
# then build and run examples/digits against that install as an outside project would.
#
#   bash scripts/run-example.sh
#
# Environment: ONNXC_BUILD_DIR (default build), ONNXC_SKIP_DEPS=1 to skip install-deps.sh.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
BUILD=${ONNXC_BUILD_DIR:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
PREFIX=$BUILD/install
EXAMPLE_BUILD=$BUILD/digits-example

step() { echo; echo "==> $*"; }

if [ "${ONNXC_SKIP_DEPS:-0}" != 1 ]; then
  step "installing dependencies (scripts/install-deps.sh)"
  bash scripts/install-deps.sh
fi

# Ninja for a fresh build directory; an existing one keeps the generator it was made with.
gen_args() { [ -f "$1/CMakeCache.txt" ] || echo "-G Ninja"; }

step "configuring and building onnxc in $BUILD"
# shellcheck disable=SC2046
cmake -S . -B "$BUILD" $(gen_args "$BUILD") -DCMAKE_BUILD_TYPE=Release
cmake --build "$BUILD"

step "installing onnxc into $PREFIX"
cmake --install "$BUILD" --prefix "$PREFIX"

step "building examples/digits against the installed package"
# shellcheck disable=SC2046
cmake -S examples/digits -B "$EXAMPLE_BUILD" $(gen_args "$EXAMPLE_BUILD") \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$PREFIX"
cmake --build "$EXAMPLE_BUILD"

step "running $EXAMPLE_BUILD/digits_app"
"$EXAMPLE_BUILD/digits_app"
