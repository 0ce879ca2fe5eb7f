#!/bin/bash
# fetch-kernel.sh 6.1|6.12 — get a Debian guest kernel for the VFIO test guest.
#
# Prints the path of a cache directory holding:
#   vmlinuz   the kernel image (QEMU -kernel)
#   vmlinux   only for xz-compressed kernels (6.1): the same kernel as an
#             uncompressed ELF that QEMU boots through its PVH entry. Under
#             TCG the xz decompressor alone takes ~3 s of a ~6 s boot; zstd
#             (6.12) takes ~0.5 s, not worth 55 MB of cache.
#   kver      the kernel release string (uname -r in the guest)
#   package   "<debian package> <version>" it came from
#   config    the kernel's .config (so tests can tell what is built in)
#   modules/  the decompressed .ko files the guest loads, modules.order (their
#             insmod order, one file name a line), modules.builtin(.modinfo)
#
# The kernel package is downloaded with apt-get download and unpacked into a
# temp dir, never installed on the host; only the few files above are kept.
# A cached kernel costs no network: only a local apt-cache lookup.
set -Eeuo pipefail # -E: the ERR trap below also fires inside functions

prog=fetch-kernel
# set -e must never end us silently: name the command that failed.
trap 'echo "$prog: unexpected failure (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
die() { echo "$prog: $*" >&2; exit 1; }

# What the guest loads, in the recipe's order. modprobe --show-depends
# expands each to its dependencies, so any extra module a future kernel needs
# comes along. vfio_virqfd is a module on 6.1 but built into vfio on 6.12.
WANTED=(irqbypass vfio vfio_virqfd vfio_iommu_type1 vfio_pci_core vfio_pci)
OPTIONAL=" vfio_virqfd "

usage() {
	echo "usage: $prog 6.1|6.12" >&2
	exit 2
}

cache_root() {
	local base=${VFIO_PINCTL_CACHE:-${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/vfio-pinctl}
	echo "$base/kernels"
}

# The package name for a kernel series, from the local apt lists (no network).
# Prints nothing when apt does not know it.
resolve_package() {
	local series=$1
	case $series in
	6.1)
		# The package the metapackage points at is the current 6.1 ABI.
		apt-cache depends linux-image-amd64 2>/dev/null |
			awk '!found && $1 == "Depends:" && $2 ~ /^linux-image-6\.1\.0-[0-9]+-amd64$/ { print $2; found = 1 }'
		;;
	6.12)
		# Bookworm carries 6.12 from bookworm-security/backports as
		# linux-image-6.12.N+deb12-amd64; take the newest that has a candidate.
		local names
		names=$(apt-cache pkgnames linux-image-6.12. 2>/dev/null |
			grep -E '^linux-image-6\.12\.[0-9]+\+deb12-amd64$') || return 0
		# One apt-cache call for all of them: each call reloads the cache.
		# shellcheck disable=SC2086
		apt-cache policy $names 2>/dev/null |
			awk '/^[^ ].*:$/ { name = substr($0, 1, length($0) - 1) }
			     $1 == "Candidate:" && $2 != "(none)" { print name }' |
			sort -V | tail -n1
		;;
	esac
}

# A complete cache dir (they appear by rename, so existence means complete).
is_cached() {
	[ -s "$1/vmlinuz" ] && [ -s "$1/kver" ] && [ -s "$1/modules/modules.order" ]
}

apt_update_once() {
	[ "$(id -u)" -eq 0 ] ||
		die "apt does not know the $series kernel package and apt-get update needs root: run 'apt-get update' as root"
	local log
	log=$(mktemp)
	if ! apt-get update -qq >"$log" 2>&1; then
		local why
		why=$(grep -m1 -E '^(E|Err):' "$log" || tail -n1 "$log")
		rm -f "$log"
		die "apt-get update failed: $why"
	fi
	rm -f "$log"
}

# Decompress (or copy) one module into DEST, named NAME.ko.
install_module() {
	local src=$1 dest=$2
	case $src in
	*.ko.xz) xz -dc "$src" >"$dest" || die "cannot decompress $src (is xz-utils installed?)" ;;
	*.ko.zst) zstd -qdc "$src" >"$dest" || die "cannot decompress $src (is zstd installed?)" ;;
	*.ko.gz) gzip -dc "$src" >"$dest" || die "cannot decompress $src" ;;
	*.ko) cp "$src" "$dest" ;;
	*) die "unexpected module file name: $src" ;;
	esac
}

is_elf() { [ "$(head -c4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; }

# Pull the ELF kernel out of an xz bzImage, like the kernel's
# scripts/extract-vmlinux: try each xz magic until one decompresses to ELF.
extract_vmlinux() {
	local vmlinuz=$1 out=$2 off
	for off in $(LC_ALL=C grep -abo $'\xfd7zXZ\x00' "$vmlinuz" | cut -d: -f1); do
		# xz complains about the data after its stream; the output is whole.
		tail -c "+$((off + 1))" "$vmlinuz" | xz -dcq >"$out" 2>/dev/null || true
		is_elf "$out" && return 0
	done
	rm -f "$out"
	return 1
}

# Unpack PKG's deb into WORK and lay out the cache dir at WORK/out.
populate() {
	local pkg=$1 work=$2 deb kver x=$2/x out=$2/out
	local aptopt=()
	# As root apt-get download drops to the _apt user, which cannot write
	# into our private temp dir; it would warn and fall back anyway.
	[ "$(id -u)" -eq 0 ] && aptopt=(-o APT::Sandbox::User=root)
	if ! (cd "$work" && apt-get download -q "${aptopt[@]}" "$pkg") >"$work/apt.log" 2>&1; then
		die "apt-get download $pkg failed: $(grep -m1 -E '^(E|Err|W):' "$work/apt.log" || tail -n1 "$work/apt.log")"
	fi
	deb=$(find "$work" -maxdepth 1 -name '*.deb' -print -quit)
	[ -n "$deb" ] || die "apt-get download $pkg left no .deb"
	local version
	version=$(dpkg-deb -f "$deb" Version) || die "$deb is not a valid package"
	dpkg -x "$deb" "$x" || die "dpkg -x $deb failed (disk full?)"
	rm -f "$deb"

	kver=$(ls "$x/lib/modules")
	[ -n "$kver" ] && [ "$(wc -w <<<"$kver")" -eq 1 ] ||
		die "$pkg: expected one kernel under lib/modules, found: ${kver:-none}"
	[ -s "$x/boot/vmlinuz-$kver" ] || die "$pkg ships no boot/vmlinuz-$kver"

	# The .deb has no modules.dep: build it so modprobe can answer.
	depmod -b "$x" "$kver" 2>"$work/depmod.log" ||
		die "depmod -b failed for $kver: $(head -n1 "$work/depmod.log")"

	mkdir -p "$out/modules"
	cp "$x/boot/vmlinuz-$kver" "$out/vmlinuz"
	cp "$x/boot/config-$kver" "$out/config" 2>/dev/null || true
	# PVH needs CONFIG_PVH (the ELF note QEMU looks for).
	if grep -q '^CONFIG_KERNEL_XZ=y' "$out/config" 2>/dev/null && grep -q '^CONFIG_PVH=y' "$out/config"; then
		extract_vmlinux "$out/vmlinuz" "$out/vmlinux" ||
			echo "$prog: warning: cannot extract vmlinux from $pkg; guests will boot the slower bzImage" >&2
	fi
	local m path line seen=" "
	for m in "${WANTED[@]}"; do
		if ! line=$(modprobe -d "$x" -S "$kver" --show-depends "$m" 2>/dev/null); then
			[[ $OPTIONAL == *" $m "* ]] && continue
			die "$pkg has no module $m (neither a .ko nor built in)"
		fi
		# Lines are "insmod /path/x.ko[.xz] [opts]" or "builtin name".
		while read -r verb path _; do
			[ "$verb" = insmod ] || continue
			local base=${path##*/}
			base=${base%%.ko*}.ko
			[[ $seen == *" $base "* ]] && continue
			seen+="$base "
			install_module "$path" "$out/modules/$base"
			echo "$base" >>"$out/modules/modules.order"
		done <<<"$line"
	done
	# Guest-side libkmod/modprobe tell built-in from missing with these.
	for m in modules.builtin modules.builtin.modinfo; do
		[ ! -f "$x/lib/modules/$kver/$m" ] || cp "$x/lib/modules/$kver/$m" "$out/modules/"
	done
	echo "$kver" >"$out/kver"
	echo "$pkg $version" >"$out/package"
	rm -rf "$x"
	KVER=$kver
}

# ROOT/SERIES -> KVER, for offline use and the fast path; replaced atomically
# (ln -sfn alone is unlink + symlink, which a concurrent reader could miss).
point_series() {
	local root=$1 series=$2 kver=$3 tmp
	tmp=$(mktemp -u "$root/.$series.XXXXXX")
	ln -s "$kver" "$tmp" && mv -T "$tmp" "$root/$series" && touch "$root/.$series.resolved" ||
		echo "$prog: warning: cannot update $root/$series" >&2
}

main() {
	[ $# -eq 1 ] || usage
	series=$1
	case $series in 6.1 | 6.12) ;; -h | --help) usage ;; *) die "unknown kernel series '$series' (want 6.1 or 6.12)" ;; esac

	local root pkg dir
	root=$(cache_root)
	mkdir -p "$root" || die "cannot create cache dir $root"

	# Fast path: apt's lists have not changed since we last resolved this
	# series, so apt would name the same package (each apt-cache call
	# costs ~0.5 s here, as apt keeps no pkgcache.bin on this image).
	local stamp=$root/.$series.resolved lists=/var/lib/apt/lists
	if is_cached "$root/$series" && [ -e "$stamp" ] && [ -d "$lists" ] && [ "$stamp" -nt "$lists" ]; then
		(cd "$root/$series" && pwd -P)
		return 0
	fi

	pkg=$(resolve_package "$series") || pkg=""
	if [ -n "$pkg" ]; then
		dir=$root/${pkg#linux-image-}
		if is_cached "$dir"; then
			point_series "$root" "$series" "${pkg#linux-image-}"
			echo "$dir"
			return 0
		fi
	elif is_cached "$root/$series"; then
		# apt has no lists (fresh or cleaned machine) but we fetched
		# this series before: use it rather than go to the network.
		(cd "$root/$series" && pwd -P)
		return 0
	fi

	# Serialise populating: two runs must not download into one dir.
	exec 9>"$root/.lock"
	flock -w 1800 9 || die "timed out waiting for the cache lock $root/.lock"
	# Anything left in a temp dir belongs to a run that died holding the lock.
	rm -rf "$root"/.tmp.*

	if [ -z "$pkg" ]; then
		apt_update_once
		pkg=$(resolve_package "$series") || pkg=""
		[ -n "$pkg" ] || die "apt offers no $series kernel package even after apt-get update (looked for $( [ "$series" = 6.1 ] && echo 'the dependency of linux-image-amd64' || echo 'linux-image-6.12.*+deb12-amd64'))"
	fi
	dir=$root/${pkg#linux-image-}
	if ! is_cached "$dir"; then
		WORK=$(mktemp -d "$root/.tmp.XXXXXX")
		trap 'rm -rf "$WORK"' EXIT
		trap 'exit 130' INT TERM
		populate "$pkg" "$WORK"
		[ "$root/$KVER" = "$dir" ] || die "$pkg unpacked kernel $KVER, expected ${pkg#linux-image-}"
		rm -rf "$dir"
		mv -T "$WORK/out" "$dir" || die "cannot move the new kernel into $dir"
	fi
	point_series "$root" "$series" "${pkg#linux-image-}"
	echo "$dir"
}

main "$@"
