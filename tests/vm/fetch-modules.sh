#!/bin/bash
# fetch-modules.sh KDIR MODULE... — extra modules of a fetch-kernel.sh kernel
# that only some guest tests load (t-map-taxonomy.sh: pmem, dax, vgem, brd,
# ext4), kept apart from KDIR/modules/ so no other guest boots with them.
#
# Prints the path of a cache dir KDIR/extra-<hash of the module list>/ with the
# decompressed .ko files and load.order: one "NAME.ko" a line, dependencies
# first (modprobe --show-depends), for insmod in the guest. The kernel package
# (KDIR/package) is apt-get downloaded again, unpacked in a temp dir and
# deleted; a cached list costs nothing.
set -Eeuo pipefail
prog=fetch-modules
trap 'echo "$prog: unexpected failure (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
die() { echo "$prog: $*" >&2; exit 1; }

[ $# -ge 2 ] || { echo "usage: $prog KDIR MODULE..." >&2; exit 2; }
kdir=$1
shift
[ -s "$kdir/package" ] && [ -s "$kdir/kver" ] || die "$kdir is not a fetch-kernel.sh cache dir"
out=$kdir/extra-$(echo "$*" | md5sum | cut -c1-12)
if [ -s "$out/load.order" ]; then
	echo "$out"
	exit 0
fi

exec 9>"$kdir/.extra.lock"
flock -w 1800 9 || die "timed out waiting for $kdir/.extra.lock"
[ -s "$out/load.order" ] && { echo "$out"; exit 0; }

read -r pkg _ <"$kdir/package"
kver=$(cat "$kdir/kver")
work=$(mktemp -d "$kdir/.extra-tmp.XXXXXX")
trap 'rm -rf "$work"' EXIT
aptopt=()
[ "$(id -u)" -eq 0 ] && aptopt=(-o APT::Sandbox::User=root)
(cd "$work" && apt-get download -q "${aptopt[@]}" "$pkg") >"$work/apt.log" 2>&1 ||
	die "apt-get download $pkg failed: $(tail -n1 "$work/apt.log")"
deb=$(find "$work" -maxdepth 1 -name '*.deb' -print -quit)
[ -n "$deb" ] || die "apt-get download $pkg left no .deb"
dpkg -x "$deb" "$work/x" || die "dpkg -x $deb failed"
rm -f "$deb"
depmod -b "$work/x" "$kver" || die "depmod -b failed for $kver"
mkdir -p "$work/out"
seen=" "
for m in "$@"; do
	# -C /dev/null: the host's modprobe.d (ndctl's install rule for libnvdimm) is not the guest's.
	line=$(modprobe -C /dev/null -d "$work/x" -S "$kver" --show-depends "$m" 2>/dev/null) ||
		die "$pkg has no module $m (neither a .ko nor built in)"
	while read -r verb path _; do
		[ "$verb" = insmod ] || continue
		base=${path##*/}
		base=${base%%.ko*}.ko
		[[ $seen == *" $base "* ]] && continue
		# Already in the boot set (KDIR/modules): loaded at boot.
		[ -e "$kdir/modules/$base" ] && continue
		seen+="$base "
		case $path in
		*.ko.xz) xz -dc "$path" >"$work/out/$base" ;;
		*.ko.zst) zstd -qdc "$path" >"$work/out/$base" ;;
		*.ko) cp "$path" "$work/out/$base" ;;
		*) die "unexpected module file name: $path" ;;
		esac
		echo "$base" >>"$work/out/load.order"
	done <<<"$line"
done
touch "$work/out/load.order"
rm -rf "$out"
mv -T "$work/out" "$out"
echo "$out"
