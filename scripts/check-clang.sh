#!/usr/bin/env bash
# Compile from source with clang (x86-64 here; the same CMakeLists serves Apple clang) into
# build-clang/, then run the native suites against that addon (ACTIVE_RM_NATIVE_ADDON).
#   scripts/check-clang.sh [vitest file filters…]     default: test/native- test/engine-greedy
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang++ >/dev/null || { echo "check-clang: clang++ not found" >&2; exit 1; }
npx --no-install cmake-js compile --out build-clang --CDCMAKE_CXX_COMPILER=clang++ --CDCMAKE_C_COMPILER=clang \
  --CDACTIVE_RM_CUDA=OFF >build-clang.log 2>&1 || { tail -30 build-clang.log >&2; echo "check-clang: the clang build failed" >&2; exit 1; }
addon=$PWD/build-clang/Release/active_rm.node
grep -q 'clang version' <(strings "$addon" | grep -m1 'clang version' || true) \
  || grep -q 'CMAKE_CXX_COMPILER_ID:STRING=Clang\|CMAKE_CXX_COMPILER:.*clang' build-clang/CMakeCache.txt \
  || { echo "check-clang: build-clang was not built by clang" >&2; exit 1; }
echo "check-clang: built $addon with $(clang++ --version | head -1)"
files=("${@:-test/native-}")
[ $# -gt 0 ] || files+=(test/engine-greedy)
ACTIVE_RM_NATIVE_ADDON=$addon ACTIVE_RM_BACKEND=native npx --no-install vitest run "${files[@]}"
