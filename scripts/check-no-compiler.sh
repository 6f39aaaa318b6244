#!/usr/bin/env bash
# `npm test` where no compiler exists: a copy of this checkout without build/ or prebuilds/, run with
# cmake, make, ninja, nvcc and every C/C++ compiler hidden from PATH. Must exit 0, the native suites
# skipped with their reason printed.
#   scripts/check-no-compiler.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/active-rm-no-compiler.XXXXXX)
trap 'rm -rf "$work"' EXIT

# Tracked and untracked-but-not-ignored files: what a clone has, never build outputs.
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$work"
ln -s "$PWD/node_modules" "$work/node_modules"

# A PATH with every program except the build tools.
bin="$work/.path"
mkdir "$bin"
hidden='^(cmake|ctest|cpack|make|gmake|ninja|nvcc|cc|c\+\+|cpp|gcc.*|g\+\+.*|clang.*|.*-gcc.*|.*-g\+\+.*|.*-cc|.*-c\+\+|ld|ld\..*|.*-ld)$'
IFS=: read -ra dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
  [ -d "$dir" ] || continue
  for exe in "$dir"/*; do
    name=${exe##*/}
    [ -x "$exe" ] && [ ! -e "$bin/$name" ] && ! [[ "$name" =~ $hidden ]] && ln -s "$exe" "$bin/$name"
  done
done
for tool in cmake g++ gcc c++ cc clang++ make ninja; do
  if PATH="$bin" command -v "$tool" >/dev/null; then echo "check-no-compiler: $tool is still on PATH" >&2; exit 1; fi
done
[ ! -e "$work/build" ] && [ ! -e "$work/prebuilds" ] || { echo "check-no-compiler: the copy has a build" >&2; exit 1; }

# The shared HH-RLHF data lies beside the checkout (test/helpers/shared-data.ts), not beside the copy.
if [ -z "${ACTIVE_RM_DATA_DIR:-}" ] && [ -d ../shared/data ]; then export ACTIVE_RM_DATA_DIR=$(cd ../shared/data && pwd); fi

echo "check-no-compiler: npm test in $work with cmake and compilers hidden"
cd "$work"
unset ACTIVE_RM_REQUIRE_NATIVE ACTIVE_RM_NATIVE_ADDON
set +e
PATH="$bin" npm test 2>&1 | tee "$work.log"
status=${PIPESTATUS[0]}
set -e
grep -q 'NATIVE TEST SUITE SKIPPED' "$work.log" || { echo "check-no-compiler: no skip banner from test:native" >&2; status=1; }
echo "check-no-compiler: npm test exited $status (log: $work.log)"
exit "$status"
