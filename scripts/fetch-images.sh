#!/usr/bin/env bash
# Fetch the Linux guest's images from Debian's arm64 archive, on any
# Debian 12 host (amd64 included), with apt for the arm64 architecture:
#
#   $VGIC_IMAGES/Image      Debian's arm64 kernel (linux-image-arm64's
#                           current linux-image-6.1.0-NN-arm64), a raw
#                           arm64 Image ("ARM\x64" header)
#   $VGIC_IMAGES/busybox    busybox-static:arm64
#   $VGIC_IMAGES/modules/   the .ko files below (uncompressed) with their
#                           dependencies, and modules/load-order: one file
#                           name a line, dependencies first
#   $VGIC_IMAGES/VERSIONS   the package names and versions fetched
#
# VGIC_IMAGES defaults to build/images in the source tree. apt's state and
# cache for arm64 live in $VGIC_IMAGES/apt, apart from the host's.
# Does nothing when the outputs exist; FORCE=1 fetches again.
# VGIC_MODULES overrides the list of modules (names as modinfo spells them);
# VGIC_KERNEL_PKG pins the kernel package.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${VGIC_IMAGES:-$root/build/images}
modules_wanted=${VGIC_MODULES:-"virtio_pci virtio_rng virtio_net virtio_blk
  virtio_console virtio_scsi virtio_balloon virtio_input virtio_mmio
  nvme e1000e"}

if [ "${FORCE:-0}" != 1 ] && [ -s "$out/Image" ] && [ -s "$out/busybox" ] &&
   [ -s "$out/modules/load-order" ] && [ -s "$out/VERSIONS" ]; then
  exit 0
fi

for tool in apt-get apt-cache dpkg dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "fetch-images: $tool missing" >&2; exit 1; }
done

mkdir -p "$out"
out=$(cd "$out" && pwd)
apt_dir=$out/apt
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" \
         "$apt_dir/debs"
# Sandbox::User=root: the downloads land in a directory _apt may not reach.
apt_opts=(-o APT::Architecture=arm64 -o APT::Architectures=arm64
          -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
          -o APT::Sandbox::User=root -q)

echo "fetch-images: updating the arm64 package lists in $apt_dir"
apt-get "${apt_opts[@]}" update >"$apt_dir/update.log" 2>&1 || {
  cat "$apt_dir/update.log" >&2
  echo "fetch-images: apt-get update for arm64 failed" >&2
  exit 1
}

# linux-image-arm64 is a metapackage: its candidate depends on the real one.
# VGIC_KERNEL_PKG=linux-image-6.1.0-NN-arm64 pins a kernel instead.
kpkg=${VGIC_KERNEL_PKG:-$(apt-cache "${apt_opts[@]}" depends linux-image-arm64 |
       sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-arm64\)$/\1/p' | head -n1)}
if [ -z "$kpkg" ]; then
  echo "fetch-images: cannot resolve linux-image-arm64 to a kernel package" >&2
  exit 1
fi
kver=${kpkg#linux-image-}   # e.g. 6.1.0-56-arm64, the modules directory

debs=$apt_dir/debs
rm -f "$debs"/*.deb
echo "fetch-images: downloading $kpkg busybox-static (arm64)"
(cd "$debs" && apt-get "${apt_opts[@]}" download "$kpkg" busybox-static)

kdeb=$(ls "$debs"/"$kpkg"_*_arm64.deb)
bdeb=$(ls "$debs"/busybox-static_*_arm64.deb)

tree=$out/tree
rm -rf "$tree"
mkdir -p "$tree"
dpkg -x "$kdeb" "$tree"
dpkg -x "$bdeb" "$tree"

# --- kernel: Debian's arm64 vmlinuz is a raw Image; decompress if not.
vmlinuz=$tree/boot/vmlinuz-$kver
is_image() { [ "$(od -An -tx1 -j56 -N4 "$1" | tr -d ' \n')" = 41524d64 ]; }
if is_image "$vmlinuz"; then
  cp "$vmlinuz" "$out/Image.tmp"
elif [ "$(od -An -tx1 -N2 "$vmlinuz" | tr -d ' \n')" = 1f8b ]; then
  gzip -dc "$vmlinuz" >"$out/Image.tmp"
else
  echo "fetch-images: $vmlinuz is neither an arm64 Image nor gzip" >&2
  exit 1
fi
is_image "$out/Image.tmp" || { echo "fetch-images: no arm64 Image header" >&2; exit 1; }
mv "$out/Image.tmp" "$out/Image"

# --- busybox
cp "$tree/bin/busybox" "$out/busybox"
chmod 755 "$out/busybox"

# --- modules, with their dependencies (the .deb has no modules.dep: read
# each module's depends= from its .modinfo section).
moddir=$tree/lib/modules/$kver
declare -A path_of=() seen=()
while IFS= read -r -d '' f; do
  name=$(basename "$f"); name=${name%%.ko*}; name=${name//-/_}
  path_of[$name]=$f
done < <(find "$moddir/kernel" -name '*.ko*' -print0)

ko_plain() {   # print the module's uncompressed bytes
  case "$1" in
    *.ko) cat "$1" ;;
    *.ko.xz) xz -dc "$1" ;;
    *.ko.zst) zstd -dcq "$1" ;;
    *.ko.gz) gzip -dc "$1" ;;
  esac
}
order=()
add_module() {   # depth-first: dependencies before the module itself
  local name=${1//-/_} dep deps
  [ -n "${seen[$name]:-}" ] && return 0
  seen[$name]=1
  if [ -z "${path_of[$name]:-}" ]; then
    if grep -q "/${name//_/[-_]}\.ko" "$moddir/modules.builtin" 2>/dev/null; then
      echo "fetch-images: $name is built into the kernel"
      return 0
    fi
    echo "fetch-images: module $name not found in $kpkg" >&2
    return 1
  fi
  deps=$(ko_plain "${path_of[$name]}" | tr '\0' '\n' |
         sed -n 's/^depends=//p' | head -n1)
  for dep in ${deps//,/ }; do
    add_module "$dep"
  done
  order+=("$name")
}
for m in $modules_wanted; do
  add_module "$m"
done

rm -rf "$out/modules.tmp"
mkdir -p "$out/modules.tmp"
for name in "${order[@]}"; do
  ko_plain "${path_of[$name]}" >"$out/modules.tmp/$name.ko"
  echo "$name.ko" >>"$out/modules.tmp/load-order"
done
rm -rf "$out/modules"
mv "$out/modules.tmp" "$out/modules"

{
  echo "$kpkg $(dpkg-deb -f "$kdeb" Version) arm64"
  echo "busybox-static $(dpkg-deb -f "$bdeb" Version) arm64"
  echo "kernel-release $kver"
} >"$out/VERSIONS.tmp"
mv "$out/VERSIONS.tmp" "$out/VERSIONS"
rm -rf "$tree" "$debs"/*.deb

echo "fetch-images: ready in $out:"
sed 's/^/  /' "$out/VERSIONS"
echo "  modules: ${order[*]}"
