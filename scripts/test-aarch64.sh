#!/usr/bin/env bash
# Cross-compiles the kernel library and the C++ kernel tests for aarch64 and runs them under qemu,
# once with the NEON kernels and once with the portable reference kernels (ACTIVE_RM_ISA=ref).
# Needs Debian's g++-aarch64-linux-gnu and qemu-user-static. `--clang` builds with
# clang --target=aarch64-linux-gnu instead of the GNU cross compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/aarch64-tests
extra=()
if [ "${1:-}" = "--clang" ]; then
  build=build/aarch64-clang-tests
  extra=(-DACTIVE_RM_CROSS_CLANG=ON)
fi
for tool in cmake qemu-aarch64-static; do
  command -v "$tool" >/dev/null || { echo "test-aarch64: $tool not found" >&2; exit 1; }
done
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
cmake -S test/cpp -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/aarch64-linux-gnu.cmake" "${extra[@]}" >/dev/null
cmake --build "$build" --parallel "${JOBS:-2}"
file "$build/kernel_tests"
# ctest runs each test through qemu-aarch64-static -L /usr/aarch64-linux-gnu (the toolchain
# file's CMAKE_CROSSCOMPILING_EMULATOR): `kernels` with NEON, `kernels_ref` with ACTIVE_RM_ISA=ref.
ctest --test-dir "$build" --output-on-failure --timeout 600
