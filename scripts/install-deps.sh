#!/usr/bin/env bash
# Installs every build and test dependency of onnxc on Debian 12 (bookworm).
# Idempotent: packages already present are skipped by apt and pip.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

APT_PACKAGES=(
  cmake ninja-build ccache pkg-config
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  libprotobuf-dev protobuf-compiler libonnx-dev
  libcli11-dev libfmt-dev libgtest-dev
  python3-pip
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Python packages for tests and benchmarks only (reference outputs, node tests).
PY=${PYTHON:-python3}
need_pip=0
$PY - <<'PYEOF' 2>/dev/null || need_pip=1
import onnx, onnxruntime, numpy, sklearn
PYEOF
if [ "$need_pip" = 1 ]; then
  $PY -m pip install -q --disable-pip-version-check -r "$(dirname "$0")/requirements.txt"
fi
