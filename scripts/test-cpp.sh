#!/usr/bin/env bash
# Builds and runs the C++ kernel tests (test/cpp) with the host compiler: once with the best
# kernels of this CPU, once with ACTIVE_RM_ISA=ref. Without cmake or a C++ compiler it says so and
# exits 0 (the TypeScript backend needs neither), unless ACTIVE_RM_REQUIRE_NATIVE=1.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/cpp-tests

missing=""
command -v cmake >/dev/null 2>&1 || missing="cmake"
if [ -z "${CXX:-}" ] && ! command -v c++ >/dev/null 2>&1 && ! command -v g++ >/dev/null 2>&1 &&
   ! command -v clang++ >/dev/null 2>&1; then
  missing="${missing:+$missing and }a C++ compiler"
fi
if [ -n "$missing" ]; then
  echo "################################################################################"
  echo "# SKIPPED: C++ kernel tests (test/cpp): no $missing on PATH."
  echo "################################################################################"
  [ "${ACTIVE_RM_REQUIRE_NATIVE:-}" = "1" ] && { echo "ACTIVE_RM_REQUIRE_NATIVE=1: failing." >&2; exit 1; }
  exit 0
fi

generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S test/cpp -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --parallel "${JOBS:-2}"
ctest --test-dir "$build" --output-on-failure
