#!/usr/bin/env bash
# Packs this checkout as npm would publish it (npm pack: prepare, then the `files` list) and
# installs that tarball with --ignore-scripts into a new folder, as the platform checks need it.
#   scripts/install-packed.sh <new folder> [npm install options, e.g. --os=win32 --cpu=x64]
set -euo pipefail
cd "$(dirname "$0")/.."
dest=$1; shift
rm -rf "$dest" && mkdir -p "$dest"
dest=$(cd "$dest" && pwd)
tarball=$(npm pack --pack-destination "$dest" --silent | tail -1)
echo '{ "name": "active-rm-check", "private": true }' >"$dest/package.json"
(cd "$dest" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error "$@" "./$tarball" >/dev/null)
echo "install-packed: $tarball installed into $dest ($(ls "$dest/node_modules/active-rm/prebuilds" 2>/dev/null | tr '\n' ' '))"
