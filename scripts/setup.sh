#!/usr/bin/env bash
# Install what the build and the tests need, on Debian 12, as root.
# Does nothing when everything is already there, so it is cheap to run.
set -euo pipefail

need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

for spec in gcc:gcc make:make clang:clang clang-format:clang-format \
            aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu pkg-config:pkg-config \
            qemu-system-aarch64:qemu-system-arm dtc:device-tree-compiler \
            fdtput:device-tree-compiler cpio:cpio xz:xz-utils \
            llvm-profdata-14:llvm-14 llvm-cov-14:llvm-14; do
  have_cmd "${spec%%:*}" || need+=("${spec#*:}")
done
have_pkg libcmocka-dev || need+=(libcmocka-dev)
have_pkg binutils-aarch64-linux-gnu || need+=(binutils-aarch64-linux-gnu)
# The sanitizer and libFuzzer runtimes are only recommended by clang:
# ask for them.
have_pkg libclang-rt-14-dev || need+=(libclang-rt-14-dev)

# The same package may be named twice (dtc and fdtput): ask once.
if [ ${#need[@]} -gt 0 ]; then
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
fi

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing ${need[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "setup: missing packages and not root: apt-get install ${need[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
