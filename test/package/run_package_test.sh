#!/usr/bin/env bash
# Installed-package consumer test.
#
#   run_package_test.sh BUILD_DIR EXAMPLE_DIR WORK_DIR [extra cmake args for the consumer...]
#
# 1. cmake --install BUILD_DIR into WORK_DIR/stage, then moves it to WORK_DIR/prefix (the
#    package must be relocatable) and checks its layout;
# 2. copies EXAMPLE_DIR (examples/digits) to WORK_DIR/src and builds it against the prefix
#    with find_package(onnxc) / onnxc_add_model, as an outside project would;
# 3. runs digits_app and checks `accuracy: X/N` equals the framework's accuracy;
# 4. checks a second build is a no-op and that touching the model reruns onnxc.
# Prints "package test: PASS" at the end, or "package test: FAIL: <why>".
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 BUILD_DIR EXAMPLE_DIR WORK_DIR [cmake args...]" >&2
  exit 2
fi
BUILD_DIR=$(cd "$1" && pwd)
EXAMPLE_DIR=$(cd "$2" && pwd)
WORK_DIR=$3
shift 3
CONSUMER_ARGS=("$@")

fail() { echo "package test: FAIL: $*"; exit 1; }
step() { echo "--- $*"; }

rm -rf "$WORK_DIR"
mkdir -p "$WORK_DIR"
WORK_DIR=$(cd "$WORK_DIR" && pwd)
STAGE=$WORK_DIR/stage
PREFIX=$WORK_DIR/prefix
SRC=$WORK_DIR/src
BLD=$WORK_DIR/build

GEN=()
if command -v ninja >/dev/null 2>&1; then GEN=(-G Ninja); fi

step "install $BUILD_DIR -> $STAGE, then move to $PREFIX"
cmake --install "$BUILD_DIR" --prefix "$STAGE" || fail "cmake --install failed"
mv "$STAGE" "$PREFIX"

step "check the installed layout"
for f in bin/onnxc lib/libonnxc_rt.a include/onnxc/runtime.h \
         lib/cmake/onnxc/onnxcConfig.cmake lib/cmake/onnxc/onnxcConfigVersion.cmake \
         lib/cmake/onnxc/onnxcTargets.cmake lib/cmake/onnxc/OnnxcAddModel.cmake; do
  [ -e "$PREFIX/$f" ] || fail "missing from the installed package: $f"
done
[ -x "$PREFIX/bin/onnxc" ] || fail "bin/onnxc is not executable"
if command -v ldd >/dev/null 2>&1 && ldd "$PREFIX/bin/onnxc" | grep -q 'not found'; then
  ldd "$PREFIX/bin/onnxc" | grep 'not found'
  fail "installed bin/onnxc has unresolved shared libraries (install RPATH?)"
fi
if grep -rq -- "$BUILD_DIR" "$PREFIX/lib/cmake/onnxc"; then
  grep -rn -- "$BUILD_DIR" "$PREFIX/lib/cmake/onnxc"
  fail "the installed CMake package refers to the build tree"
fi

step "configure the digits example against $PREFIX"
mkdir -p "$SRC"
cp "$EXAMPLE_DIR"/CMakeLists.txt "$EXAMPLE_DIR"/main.c "$EXAMPLE_DIR"/samples.h \
   "$EXAMPLE_DIR"/digits.onnx "$SRC"/
# CMAKE_FIND_USE_PACKAGE_REGISTRY off and only this prefix: the test must find what it installed.
cmake -S "$SRC" -B "$BLD" "${GEN[@]}" -DCMAKE_PREFIX_PATH="$PREFIX" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF "${CONSUMER_ARGS[@]}" || fail "configure failed"
grep -q "^onnxc_DIR:PATH=$PREFIX/lib/cmake/onnxc\$" "$BLD/CMakeCache.txt" \
  || fail "find_package(onnxc) did not pick the package in $PREFIX ($(grep '^onnxc_DIR' "$BLD/CMakeCache.txt"))"

step "build"
cmake --build "$BLD" || fail "build failed"

step "run"
set +e
out=$("$BLD/digits_app" 2>&1)
rc=$?
set -e
echo "$out"
[ $rc -eq 0 ] || fail "digits_app exited with $rc"
acc=$(echo "$out" | sed -n 's/^accuracy: \([0-9]*\/[0-9]*\) .*/\1/p')
ref=$(echo "$out" | sed -n 's/^framework (onnxruntime) accuracy: \([0-9]*\/[0-9]*\) .*/\1/p')
[ -n "$acc" ] || fail "no 'accuracy: X/N' line in the output"
[ "$acc" = "$ref" ] || fail "accuracy $acc differs from the framework's $ref"
want=$(sed -n 's/^#define SAMPLES_FRAMEWORK_CORRECT \([0-9]*\)/\1/p' "$SRC/samples.h")
[ "${acc%/*}" = "$want" ] || fail "accuracy $acc, samples.h says the framework got $want"

if [ "${GEN[*]}" = "-G Ninja" ]; then
  step "rebuild: nothing to do"
  again=$(cmake --build "$BLD")
  echo "$again"
  echo "$again" | grep -q "no work to do" || fail "a second build was not a no-op"

  step "touch the model: onnxc reruns"
  sleep 1
  touch "$SRC/digits.onnx"
  again=$(cmake --build "$BLD")
  echo "$again"
  echo "$again" | grep -q "onnxc: compiling" || fail "changing the model did not rerun onnxc"
  "$BLD/digits_app" >/dev/null || fail "digits_app failed after the rebuild"
fi

echo "package test: PASS (accuracy $acc, framework $ref)"
