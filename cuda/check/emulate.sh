#!/usr/bin/env bash
# Runs the C verification (verify.cpp) against a CPU emulation of the kernels, for sessions with
# no GPU: it catches indexing and logic errors, not speed or GPU-specific races. a few minutes on
# 2 cores. Usage: cuda/check/emulate.sh [work dir]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-/tmp/arm-cuda-emulation}
rm -rf "$work" && mkdir -p "$work/src" "$work/include"
cp "$here/emulation/cuda_runtime.h" "$work/include/"
python3 "$here/emulation/convert.py" "$here/.." "$work/src"
g++ -std=c++20 -O1 -fPIC -shared -DARM_CUDA_BUILD=1 -I"$work/include" -I"$work/src" \
  "$work"/src/*.cu.cpp "$work/src/host_cholesky.cpp" -o "$work/libactive_rm_cuda_emulated.so" -pthread
g++ -std=c++17 -O2 -I"$here/.." "$here/verify.cpp" -o "$work/verify" -ldl
"$work/verify" "$work/libactive_rm_cuda_emulated.so" small
