#!/usr/bin/env bash
# Fails when a prebuilt Linux binary needs more than glibc 2.28 (or a libstdc++ from the system, or
# a library outside glibc and libgcc_s), naming each offending symbol.
#   scripts/check-glibc.sh [file…]      default: every ELF .node/.so under prebuilds/linux-*
# readelf reads any architecture's ELF, so one host checks x64 and arm64 alike.
set -euo pipefail
cd "$(dirname "$0")/.."
max_glibc=2.28
max_gcc=7.0.0  # libgcc_s of GCC 8 (RHEL 8) defines up to GCC_7.0.0
allowed_needed='^(libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libgcc_s\.so\.1|ld-linux-x86-64\.so\.2|ld-linux-aarch64\.so\.1)$'

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  shopt -s nullglob
  files=(prebuilds/linux-*/*.node prebuilds/linux-*/*.so)
  [ ${#files[@]} -gt 0 ] || { echo "check-glibc: no prebuilds/linux-*/*.node or *.so to check" >&2; exit 1; }
fi

newer() { [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -1)" = "$1" ]; }

status=0
for f in "${files[@]}"; do
  bad=()
  highest=0
  while read -r symbol version; do
    case "$version" in
      GLIBC_*) v=${version#GLIBC_}; newer "$v" "$highest" && highest=$v
               newer "$v" "$max_glibc" && bad+=("$symbol@$version") ;;
      GCC_*) newer "${version#GCC_}" "$max_gcc" && bad+=("$symbol@$version") ;;
      GLIBCXX_*|CXXABI_*) bad+=("$symbol@$version (libstdc++ must be linked statically)") ;;
    esac
  done < <(readelf --dyn-syms -W "$f" | awk '$7 == "UND" && $8 ~ /@/ { split($8, s, "@"); print s[1], s[2] }')
  while read -r lib; do
    [[ "$lib" =~ $allowed_needed ]] || bad+=("needs $lib")
  done < <(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  if [ ${#bad[@]} -gt 0 ]; then
    status=1
    echo "check-glibc: FAIL $f needs more than glibc $max_glibc:" >&2
    printf '  %s\n' "${bad[@]}" >&2
  else
    echo "check-glibc: ok   $f ($(file -b "$f" | cut -d, -f1-2); highest GLIBC_$highest)"
  fi
done
exit $status
