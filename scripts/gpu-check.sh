#!/usr/bin/env bash
# GPU verification of the CUDA layer (issue 4), prepared for a session lent an H100/H200 and run
# there as ONE command that fits in ~8 minutes:
#     run(command="bash scripts/gpu-check.sh", timeout_s=600)
# Steps: build the CUDA library for this card's architecture only (with its C checks), verify
# every entry point against float64 references, run the vitest CUDA suite when Node and
# node_modules are present there, then the benchmark against PyTorch. Results land in $OUT
# (summary.txt, verify.txt, bench.json, logs). BENCH_QUICK=1 shrinks the benchmark.
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/gpu-check-out}
mkdir -p "$OUT"
SUMMARY="$OUT/summary.txt"
: >"$SUMMARY"
note() { echo "== $*" | tee -a "$SUMMARY"; }
START=$(date +%s)
elapsed() { echo "$(( $(date +%s) - START ))s"; }

nvidia-smi --query-gpu=name,memory.total,driver_version,compute_cap --format=csv | tee "$OUT/gpu.txt"
CC=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d '. ')
ARCH=${CC:-90}
note "card: $(nvidia-smi --query-gpu=name --format=csv,noheader | head -1), building for sm_$ARCH"

BUILD=build-gpu
GEN=""
command -v ninja >/dev/null && GEN="-G Ninja"
if ! timeout 300 bash -c "cmake -S cuda -B $BUILD $GEN -DCMAKE_BUILD_TYPE=Release -DACTIVE_RM_CUDA_ARCHITECTURES=$ARCH && cmake --build $BUILD -j$(nproc)" >"$OUT/build.log" 2>&1; then
  note "BUILD FAILED ($(elapsed)); see build.log"
  tail -40 "$OUT/build.log"
  exit 1
fi
LIB=$PWD/$BUILD/Release/libactive_rm_cuda.so
note "built ($(elapsed))"

timeout 150 "$BUILD/Release/active_rm_cuda_verify" "$LIB" 2>&1 | tee "$OUT/verify.txt"
note "verify: $(tail -1 "$OUT/verify.txt") ($(elapsed))"

if command -v node >/dev/null && [ -x node_modules/.bin/vitest ] && [ -x node_modules/.bin/cmake-js ]; then
  if timeout 240 npx cmake-js compile --CDACTIVE_RM_CUDA_ARCHITECTURES="$ARCH" >"$OUT/addon-build.log" 2>&1 &&
     timeout 120 env ACTIVE_RM_REQUIRE_CUDA=1 npx vitest run test/cuda-backend.test.ts >"$OUT/vitest.log" 2>&1; then
    note "vitest CUDA suite: passed ($(elapsed))"
  else
    note "vitest CUDA suite: FAILED or did not build ($(elapsed)); see vitest.log / addon-build.log"
  fi
else
  note "vitest CUDA suite not run: no node/node_modules on this machine (the C checks above cover the same comparisons)"
fi

QUICK=""
[ "${BENCH_QUICK:-0}" = 1 ] && QUICK="--quick"
PYTHONUNBUFFERED=1 timeout 420 python3 scripts/bench-cuda-torch.py --lib "$LIB" \
  --bench "$PWD/$BUILD/Release/active_rm_cuda_bench" --dir /tmp/armbench --out "$OUT" $QUICK 2>&1 | tee "$OUT/bench.log"
note "bench: exit ${PIPESTATUS[0]} ($(elapsed)); figures in bench.json"
cat "$SUMMARY"
