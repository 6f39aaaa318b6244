#!/usr/bin/env bash
# Builds the prebuilt binaries this host can make into prebuilds/<platform>-<arch>/, named as
# node-gyp-build looks for them (active-rm.glibc.node on Linux, active-rm.node elsewhere), then
# checks the Linux ones against glibc 2.28 (scripts/check-glibc.sh).
#   scripts/prebuild-all.sh [target…]     (npm run prebuildify)
# Targets: linux-x64 (+ libactive_rm_cuda.so where nvcc is found), linux-arm64 (cross, Debian's
# g++-aarch64-linux-gnu), win32-x64 (cross, Debian's mingw-w64), darwin-x64, darwin-arm64 (on a
# Mac). Default: every target this host's compilers reach. Build folders: build-prebuild-<target>.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

defaults() {
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64)
      echo linux-x64
      command -v aarch64-linux-gnu-g++ >/dev/null && echo linux-arm64
      command -v x86_64-w64-mingw32-g++-posix >/dev/null && echo win32-x64 ;;
    Linux-aarch64) echo linux-arm64 ;;
    Darwin-*) echo darwin-x64 darwin-arm64 ;;
    *) echo "prebuild-all: no known targets on $(uname -s)-$(uname -m); name them" >&2; exit 1 ;;
  esac
}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(defaults | tr ' ' '\n')

# cmake-js compile into the target's own folder; the .node and any .so/.dll end up below it.
compile() {
  local target=$1 out=build-prebuild-$1; shift
  echo "prebuild-all: $target (log: $out.log)"
  if ! npx --no-install cmake-js compile --out "$out" "$@" >"$out.log" 2>&1; then
    tail -40 "$out.log" >&2
    echo "prebuild-all: $target failed to build (full log: $out.log)" >&2
    exit 1
  fi
}

# Copies the target's addon (and the CUDA library) into prebuilds/, stripped: strip=<command…>.
collect() {
  local target=$1 name=$2 out=build-prebuild-$1 dest=prebuilds/$1
  shift 2
  local addon
  addon=$(find "$out" -name active_rm.node | head -1)
  [ -n "$addon" ] || { echo "prebuild-all: $target built no active_rm.node" >&2; exit 1; }
  rm -rf "$dest" && mkdir -p "$dest"
  cp "$addon" "$dest/$name"
  find "$out" -maxdepth 2 -name 'libactive_rm_cuda.so' -exec cp {} "$dest/" \;
  for f in "$dest"/*; do "$@" "$f"; done
  ls -l "$dest"
}

toolchains=$root/cmake
for target in "${targets[@]}"; do
  case "$target" in
    linux-x64)
      # CUDA as the host allows (nvcc on PATH): the library is optional at run time.
      compile "$target" --CDACTIVE_RM_GLIBC_BASELINE=ON
      collect "$target" active-rm.glibc.node strip --strip-unneeded ;;
    linux-arm64)
      compile "$target" --CDCMAKE_TOOLCHAIN_FILE="$toolchains/aarch64-linux-gnu.cmake" \
        --CDACTIVE_RM_GLIBC_BASELINE=ON --CDACTIVE_RM_CUDA=OFF
      collect "$target" active-rm.glibc.node aarch64-linux-gnu-strip --strip-unneeded ;;
    win32-x64)
      compile "$target" --CDCMAKE_TOOLCHAIN_FILE="$toolchains/x86_64-w64-mingw32.cmake" --CDACTIVE_RM_CUDA=OFF
      collect "$target" active-rm.node x86_64-w64-mingw32-strip --strip-unneeded ;;
    darwin-x64|darwin-arm64)
      arch=${target#darwin-}; [ "$arch" = x64 ] && arch=x86_64
      compile "$target" --CDCMAKE_OSX_ARCHITECTURES="$arch" --CDCMAKE_OSX_DEPLOYMENT_TARGET=11.0
      collect "$target" active-rm.node strip -x ;;
    *) echo "prebuild-all: unknown target $target (linux-x64, linux-arm64, win32-x64, darwin-x64, darwin-arm64)" >&2; exit 1 ;;
  esac
done

shopt -s nullglob
linux=(prebuilds/linux-*/*.node prebuilds/linux-*/*.so)
[ ${#linux[@]} -eq 0 ] || bash scripts/check-glibc.sh "${linux[@]}"
for f in prebuilds/*/*; do echo "prebuild-all: $(file -b "$f" | cut -d, -f1-2)  $f"; done
