#!/usr/bin/env bash
# The native tests against an AddressSanitizer + UndefinedBehaviorSanitizer build of the addon
# (docs/reliability.md). Exits non-zero on a failing test or on any sanitizer report, including one
# printed by a child process that the tests themselves survived.
#   scripts/sanitize.sh [vitest file filters…]     default: test/native- test/engine-
set -euo pipefail
cd "$(dirname "$0")/.."
out=build-asan
log="$out/sanitize.log"

# Its own folder, so the installed build/Release addon stays the one users and npm test load.
# CUDA off: nvcc code is not instrumented, and it would add minutes. The flags are in
# CMakeLists.txt (ACTIVE_RM_SANITIZE): cmake-js overrides CMAKE_CXX_FLAGS and CXXFLAGS.
npx cmake-js compile --out "$out" --CDACTIVE_RM_SANITIZE=ON --CDACTIVE_RM_CUDA=OFF >"$out.build.log" 2>&1 \
  || { tail -30 "$out.build.log"; echo "sanitize: the ASan/UBSan build failed" >&2; exit 1; }
addon="$PWD/$out/Release/active_rm.node"
# A build that silently lost its instrumentation would pass everything below.
symbols="$(nm -D "$addon")"
grep -q __asan_report <<<"$symbols" || { echo "sanitize: $addon is not instrumented" >&2; exit 1; }
grep -q __ubsan_handle <<<"$symbols" || { echo "sanitize: $addon has no UBSan checks" >&2; exit 1; }

# Node itself is not instrumented, so the runtimes must be loaded before it. V8 keeps memory until
# exit by design, hence no leak checking.
asan="$(gcc -print-file-name=libasan.so)"
ubsan="$(gcc -print-file-name=libubsan.so)"
# The native tests, and the engine tests on the native backend (concurrency, abort, numerics)
# except the event-loop timing one: a sanitizer slows the kernels by design.
files=("${@:-test/native-}")
[ $# -gt 0 ] || files+=(test/engine-)
skip_timing='^(?!.*timer gap)'
# Reports go to files: vitest does not pass on what a crashing test worker wrote to stderr.
reports="$PWD/$out/reports"
rm -rf "$reports" && mkdir -p "$reports"
set +e
LD_PRELOAD="$asan $ubsan" \
  ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:allow_user_segv_handler=1:log_path=$reports/asan" \
  UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$reports/ubsan" \
  ACTIVE_RM_NATIVE_ADDON="$addon" ACTIVE_RM_BACKEND=native \
  npx vitest run "${files[@]}" --testNamePattern "$skip_timing" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

if [ -n "$(ls -A "$reports")" ] || grep -qE "ERROR: AddressSanitizer|runtime error:" "$log"; then
  head -40 "$reports"/* >&2 || true
  echo "sanitize: sanitizer report(s) in $reports (or $log)" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "sanitize: vitest failed under the sanitizers (exit $status); see $log" >&2
  exit "$status"
fi
echo "sanitize: no sanitizer reports ($addon; the event-loop timing test is left to npm test)"
