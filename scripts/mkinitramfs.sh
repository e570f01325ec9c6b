#!/usr/bin/env bash
# Build the Linux guest's busybox initramfs (newc cpio, gzip-compressed
# when OUT ends in .gz):
#
#   scripts/mkinitramfs.sh [-o OUT] [--images DIR] [--no-modules]
#
#   /init                guests/linux/init (run it with rdinit=/init)
#   /bin/busybox, /bin/sh   busybox-static:arm64; init installs the applets
#   /lib/modules/*.ko    the modules from scripts/fetch-images.sh, with
#                        /lib/modules/load-order
#
# OUT defaults to build/initramfs.cpio.gz, DIR to $VGIC_IMAGES or
# build/images (run scripts/fetch-images.sh first). The archive is
# reproducible: fixed owners, sorted names, fixed timestamps.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/initramfs.cpio.gz
images=${VGIC_IMAGES:-$root/build/images}
modules=1

usage() {
  sed -n '2,14s/^# \{0,1\}//p' "$0"
  exit "$1"
}
while [ $# -gt 0 ]; do
  case "$1" in
    -o|--output) [ $# -ge 2 ] || usage 2; out=$2; shift 2 ;;
    --images) [ $# -ge 2 ] || usage 2; images=$2; shift 2 ;;
    --no-modules) modules=0; shift ;;
    -h|--help) usage 0 ;;
    *) echo "mkinitramfs: unknown argument $1" >&2; usage 2 ;;
  esac
done

command -v cpio >/dev/null || { echo "mkinitramfs: cpio missing (scripts/setup.sh installs it)" >&2; exit 1; }
[ -s "$images/busybox" ] || { echo "mkinitramfs: no $images/busybox: run scripts/fetch-images.sh" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
r=$tmp/root
mkdir -p "$r/bin" "$r/sbin" "$r/usr/bin" "$r/usr/sbin" "$r/dev" "$r/proc" \
         "$r/sys" "$r/tmp" "$r/lib/modules" "$r/etc"
install -m 755 "$images/busybox" "$r/bin/busybox"
ln -s busybox "$r/bin/sh"
install -m 755 "$root/guests/linux/init" "$r/init"
if [ "$modules" = 1 ]; then
  [ -s "$images/modules/load-order" ] || { echo "mkinitramfs: no modules in $images: run scripts/fetch-images.sh" >&2; exit 1; }
  install -m 644 "$images/modules/"*.ko "$images/modules/load-order" "$r/lib/modules/"
fi
[ -f "$images/VERSIONS" ] && install -m 644 "$images/VERSIONS" "$r/etc/vgic-images"

find "$r" -exec touch -h -d @0 {} +
mkdir -p "$(dirname "$out")"
(cd "$r" && find . -mindepth 1 | LC_ALL=C sort |
   cpio -o -H newc --owner=0:0 --reproducible --quiet) >"$tmp/initramfs.cpio"
case "$out" in
  *.gz) gzip -9n <"$tmp/initramfs.cpio" >"$out.tmp" ;;
  *) cp "$tmp/initramfs.cpio" "$out.tmp" ;;
esac
mv "$out.tmp" "$out"
echo "mkinitramfs: $out ($(wc -c <"$out") bytes)"
