#!/usr/bin/env bash
# Prints the path of the Node binary that npm's node-<platform>-<arch>@<major> package ships,
# fetching it once into build-tools/ (git-ignored). The platform checks run the package's
# prebuilds with it: scripts/check-debian11.sh, check-wine.sh, check-qemu-arm64.sh.
#   scripts/fetch-node.sh linux-x64|linux-arm64|win-x64 [major, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
target=$1 major=${2:-20}
dir=build-tools/node-$target-$major
binary=$dir/package/bin/node
[ "$target" = win-x64 ] && binary=$binary.exe
if [ ! -f "$binary" ]; then
  mkdir -p "$dir"
  tarball=$(cd "$dir" && npm pack "node-$target@$major" --silent | tail -1)
  tar xzf "$dir/$tarball" -C "$dir"
  rm "$dir/$tarball"
fi
echo "$PWD/$binary"
