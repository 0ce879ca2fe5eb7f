#!/bin/bash
# build-kernel.sh VARIANT... — build the iommufd test kernels from Debian's source.
#
#   VARIANT  type1+iommufd   legacy type1 container + native iommufd
#                            (/dev/iommu, /dev/vfio/devices/vfioN)
#            iommufd-compat  iommufd provides /dev/vfio/vfio (no type1),
#                            plus /dev/iommu and the device cdev
#
# Prints one cache directory per VARIANT, in order, each holding:
#   bzImage   the kernel (everything built in: no modules)
#   config    its .config
#   kver      the kernel release (uname -r in the guest)
#   package   "linux-source-6.12 <version>" it was built from
#
# Debian's kernels lack CONFIG_IOMMUFD, so we build one: linux-source-6.12
# (apt-get download, never installed), make tinyconfig, merge
# kernel-config/common.config and kernel-config/VARIANT.config, olddefconfig,
# check that every fragment line held, make -j2 bzImage (~2.5 min on 2 cores).
# The cache directory is named by a hash of the fragments, this script's
# recipe and the source version, so editing a fragment rebuilds on next use.
# Only the results are kept; the source (1.7 GB unpacked) lives in a temp dir
# for the run and is shared by the variants built in it, so ask for both at
# once when both are needed. Cache root:
#   ${VFIO_PINCTL_CACHE:-${XDG_CACHE_HOME:-~/.cache}/vfio-pinctl}/kernels/
# Build packages: gcc make flex bison bc libelf-dev libc6-dev xz-utils.
set -Eeuo pipefail # -E: the ERR trap below also fires inside functions

prog=build-kernel
# set -e must never end us silently: name the command that failed.
trap 'echo "$prog: unexpected failure (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "$prog: $*" >&2; exit 1; }

SRCPKG=linux-source-6.12
# Bump when the way we build changes (not the fragments: they are hashed).
RECIPE=1
VARIANTS="type1+iommufd iommufd-compat"
BUILD_PKGS=(gcc make flex bison bc libelf-dev libc6-dev xz-utils)

usage() {
	awk 'NR >= 2 && /^#/ { sub(/^# ?/, ""); print; next } NR >= 2 { exit }' "${BASH_SOURCE[0]}" >&2
	exit 2
}

cache_root() {
	local base=${VFIO_PINCTL_CACHE:-${XDG_CACHE_HOME:-${HOME:?HOME is not set}/.cache}/vfio-pinctl}
	echo "$base/kernels"
}

check_packages() {
	local p missing=()
	for p in "${BUILD_PKGS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] ||
		die "building the iommufd test kernel needs: ${missing[*]} (apt-get install --no-install-recommends ${missing[*]})"
}

# The candidate version of the source package from the local apt lists.
apt_version() {
	apt-cache policy "$SRCPKG" 2>/dev/null | awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }'
}

apt_update_once() {
	[ "$(id -u)" -eq 0 ] ||
		die "apt does not know $SRCPKG and apt-get update needs root: run 'apt-get update' as root"
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

# SRC_VERSION: what apt offers now. Each apt-cache call costs ~0.5 s, so reuse
# the last answer while apt's lists are unchanged; with no lists at all
# (cleaned machine) the last answer is all we have, and it names the cache.
resolve_version() {
	local stamp=$ROOT/.$SRCPKG.version lists=/var/lib/apt/lists
	if [ -s "$stamp" ] && { [ ! -d "$lists" ] || [ "$stamp" -nt "$lists" ]; }; then
		SRC_VERSION=$(cat "$stamp")
		return
	fi
	SRC_VERSION=$(apt_version)
	if [ -z "$SRC_VERSION" ] && [ -s "$stamp" ]; then
		SRC_VERSION=$(cat "$stamp")
		return
	fi
	if [ -z "$SRC_VERSION" ]; then
		apt_update_once
		SRC_VERSION=$(apt_version)
		[ -n "$SRC_VERSION" ] || die "apt offers no $SRCPKG even after apt-get update (is bookworm-security in sources.list?)"
	fi
	local tmp
	tmp=$(mktemp "$ROOT/.$SRCPKG.version.XXXXXX")
	echo "$SRC_VERSION" >"$tmp" && chmod 644 "$tmp" && mv -f "$tmp" "$stamp"
}

fragments() { echo "$here/kernel-config/common.config" "$here/kernel-config/$1.config"; }

# The cache directory of VARIANT for SRC_VERSION and the current fragments.
cache_dir() {
	local v=$1 hash f
	# shellcheck disable=SC2046
	hash=$({
		echo "recipe $RECIPE $SRCPKG $SRC_VERSION $v"
		for f in $(fragments "$v"); do
			echo "== ${f##*/}"
			cat "$f"
		done
	} | sha256sum | cut -c1-12)
	echo "$ROOT/iommufd-$v-$hash"
}

# A cache dir appears by rename, so its files there mean complete.
is_cached() { [ -s "$1/bzImage" ] && [ -s "$1/kver" ] && [ -s "$1/config" ]; }

# Download and unpack the source once per run, into $WORK/src.
get_source() {
	[ ! -d "$WORK/src" ] || return 0
	local aptopt=() deb
	# As root apt-get download drops to _apt, which cannot write our temp dir.
	[ "$(id -u)" -ne 0 ] || aptopt=(-o APT::Sandbox::User=root)
	echo "$prog: downloading $SRCPKG $SRC_VERSION" >&2
	if ! (cd "$WORK" && apt-get download -q "${aptopt[@]}" "$SRCPKG=$SRC_VERSION") >"$WORK/apt.log" 2>&1; then
		die "apt-get download $SRCPKG=$SRC_VERSION failed: $(grep -m1 -E '^(E|Err|W):' "$WORK/apt.log" || tail -n1 "$WORK/apt.log")"
	fi
	deb=$(find "$WORK" -maxdepth 1 -name '*.deb' -print -quit)
	[ -n "$deb" ] || die "apt-get download $SRCPKG left no .deb"
	mkdir "$WORK/src"
	# Straight from the .deb into the tree: the inner tarball never hits the disk.
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$SRCPKG.tar.xz" |
		tar -xJ -C "$WORK/src" --strip-components=1 ||
		die "cannot unpack $SRCPKG.tar.xz from $deb (disk full? $(df -h "$WORK" | awk 'NR == 2 { print $4 }') free)"
	rm -f "$deb"
	[ -f "$WORK/src/Makefile" ] || die "$SRCPKG unpacked no kernel tree"
}

# Fragment lines that did not make it into CONFIG, one a line on stdout.
unmet_lines() {
	local config=$1 line sym
	shift
	# shellcheck disable=SC2002
	cat "$@" | while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			grep -qxF -- "$line" "$config" || echo "$line (got: $(grep -E "^(# )?${line%%=*}[= ]" "$config" || echo unset))"
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			! grep -q "^$sym=" "$config" || echo "$line (got: $(grep "^$sym=" "$config"))"
			;;
		esac
	done
}

# kmake ARGS...: make in the kernel tree, output to the variant's log.
kmake() {
	make -C "$WORK/src" O="$OBJ" ARCH=x86_64 "$@" >>"$LOG" 2>&1
}

# The first error line of the log, for a one-line failure.
first_error() {
	grep -m1 -E '(error|Error|ERROR)[: ]' "$LOG" || tail -n1 "$LOG"
}

build_variant() {
	local v=$1 dir=$2 out unmet t0
	OBJ=$WORK/obj-$v
	LOG=$ROOT/iommufd-$v.build.log
	: >"$LOG"
	get_source
	t0=$SECONDS
	echo "$prog: building $v from $SRCPKG $SRC_VERSION (~2.5 min with -j2); log: $LOG" >&2
	mkdir -p "$OBJ"
	kmake tinyconfig || die "make tinyconfig failed for $v: $(first_error); log: $LOG"
	# shellcheck disable=SC2046
	(cd "$OBJ" && "$WORK/src/scripts/kconfig/merge_config.sh" -m -O "$OBJ" "$OBJ/.config" $(fragments "$v")) >>"$LOG" 2>&1 ||
		die "merge_config.sh failed for $v: $(first_error); log: $LOG"
	kmake olddefconfig || die "make olddefconfig failed for $v: $(first_error); log: $LOG"
	# shellcheck disable=SC2046
	unmet=$(unmet_lines "$OBJ/.config" $(fragments "$v"))
	[ -z "$unmet" ] ||
		die "$v: fragment lines that did not hold after olddefconfig (a dependency is missing or conflicts): $(echo "$unmet" | paste -sd ';' | sed 's/;/; /g')"
	# Reproducible banners: no host name or build time in the image.
	KBUILD_BUILD_USER=vfio-pinctl KBUILD_BUILD_HOST=test KBUILD_BUILD_TIMESTAMP="$SRCPKG $SRC_VERSION" \
		kmake -j2 bzImage || die "make bzImage failed for $v: $(first_error); log: $LOG"
	out=$WORK/out-$v
	mkdir -p "$out"
	cp "$OBJ/arch/x86/boot/bzImage" "$out/bzImage"
	cp "$OBJ/.config" "$out/config"
	make -s -C "$WORK/src" O="$OBJ" ARCH=x86_64 kernelrelease >"$out/kver" 2>>"$LOG" ||
		die "make kernelrelease failed for $v; log: $LOG"
	echo "$SRCPKG $SRC_VERSION" >"$out/package"
	rm -rf "$dir"
	mv -T "$out" "$dir" || die "cannot move the new kernel into $dir"
	rm -rf "$OBJ"
	echo "$prog: built $v ($(cat "$dir/kver")) in $((SECONDS - t0)) s" >&2
}

main() {
	[ $# -ge 1 ] || usage
	local v dirs=() todo=0
	for v in "$@"; do
		case " $VARIANTS " in
		*" $v "*) ;;
		*) [[ $v == -h || $v == --help ]] && usage; die "unknown variant '$v' (want one of: $VARIANTS)" ;;
		esac
		[ -f "$here/kernel-config/$v.config" ] || die "missing fragment $here/kernel-config/$v.config"
	done
	[ -f "$here/kernel-config/common.config" ] || die "missing fragment $here/kernel-config/common.config"
	ROOT=$(cache_root)
	mkdir -p "$ROOT" || die "cannot create cache dir $ROOT"
	resolve_version
	for v in "$@"; do
		dirs+=("$(cache_dir "$v")")
		is_cached "${dirs[-1]}" || todo=1
	done
	if [ "$todo" -eq 1 ]; then
		check_packages
		# One build at a time (2 cores); a second caller waits, then finds
		# the kernel the first one built.
		exec 8>"$ROOT/.iommufd-build.lock"
		flock -w 3600 8 || die "timed out waiting for the build lock $ROOT/.iommufd-build.lock"
		# Leftovers of a run that died holding the lock.
		rm -rf "$ROOT"/.build.*
		WORK=$(mktemp -d "$ROOT/.build.XXXXXX")
		trap 'rm -rf "$WORK"' EXIT
		trap 'exit 130' INT TERM
		local i
		for i in "${!dirs[@]}"; do
			is_cached "${dirs[i]}" || build_variant "${@:i+1:1}" "${dirs[i]}"
		done
	fi
	printf '%s\n' "${dirs[@]}"
}

main "$@"
