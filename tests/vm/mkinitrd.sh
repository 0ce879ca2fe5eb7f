#!/bin/bash
# mkinitrd.sh — build the test guest's initramfs (cpio newc, gzip -1).
#
# usage: mkinitrd.sh OUT.gz --binary PATH --script GUEST_SCRIPT [--modules DIR]
#                    [--file SRC[:DEST]]...
#
#   --binary PATH     the vfio-pinctl under test, installed as /usr/bin/vfio-pinctl
#   --script FILE     the guest test script, installed as /test.sh
#   --modules DIR     a fetch-kernel.sh modules/ dir (*.ko + modules.order);
#                     without it no module tree (a kernel with VFIO built in)
#   --file SRC[:DEST] any other file or directory; DEST defaults to
#                     /usr/bin/<basename of SRC>
#
# Every ELF file brings the shared libraries `ldd` lists and the loader, at
# the same paths. Also in the image: busybox (static) with its applet links,
# jq, tests/vm/lib.sh as /vmtest/lib.sh, guest-init.sh as /init, and
# /lib/modules/<kver>/ with the modules and a depmod index (so libkmod and
# modprobe in the guest see a normal module tree).
set -Eeuo pipefail # -E: the ERR trap below also fires inside functions

prog=mkinitrd
# set -e must never end us silently: name the command that failed.
trap 'echo "$prog: unexpected failure (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "$prog: $*" >&2; exit 1; }

usage() {
	awk 'NR >= 4 && /^#/ { sub(/^# ?/, ""); print; next } NR >= 4 { exit }' "${BASH_SOURCE[0]}" >&2
	exit 2
}

is_elf() { [ "$(head -c4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; }

# Copy the shared libraries (and the loader) that ELF file $1 needs.
copy_libs() {
	local f=$1 out line lib
	# ldd fails on static binaries ("not a dynamic executable"): nothing to do.
	out=$(ldd "$f" 2>/dev/null) || return 0
	while read -r line; do
		case $line in
		*"=> not found"*) die "$f needs ${line%% *}, which is not on this host" ;;
		*"=> /"*) lib=${line#*=> } ;;
		/*) lib=$line ;;   # the loader: "/lib64/ld-linux-x86-64.so.2 (0x...)"
		*) continue ;;     # linux-vdso.so.1 and friends live in the kernel
		esac
		lib=${lib%% (*}
		[ -e "$STAGE$lib" ] && continue
		mkdir -p "$STAGE$(dirname "$lib")"
		cp -L "$lib" "$STAGE$lib" || die "cannot copy $lib (needed by $f)"
	done <<<"$out"
}

# install_file SRC DEST: copy into the image, with libraries for ELF files.
install_file() {
	local src=$1 dest=$2 f
	[ -e "$src" ] || die "no such file: $src"
	[[ $dest == /* ]] || die "destination must be absolute: $dest"
	mkdir -p "$STAGE$(dirname "$dest")"
	# Replace a busybox applet link of the same name rather than write through it.
	rm -f "$STAGE$dest"
	cp -a -L "$src" "$STAGE$dest" || die "cannot copy $src to $dest"
	while IFS= read -r -d '' f; do
		if is_elf "$f"; then copy_libs "$f"; fi
	done < <(find "$STAGE$dest" -type f -perm -u+x -print0)
}

install_busybox() {
	local bb applet
	bb=$(command -v busybox) || die "busybox not found (install busybox-static)"
	install_file "$bb" /bin/busybox
	# --list-full gives each applet's usual path (bin/sh, sbin/insmod, ...).
	# (No forks but ln in this loop: it runs ~270 times.)
	local applets
	applets=$("$STAGE/bin/busybox" --list-full) || die "$bb --list-full failed"
	mkdir -p "$STAGE"/{bin,sbin,usr/bin,usr/sbin}
	while read -r applet; do
		[ -e "$STAGE/$applet" ] || [ -L "$STAGE/$applet" ] && continue
		[ -d "$STAGE/${applet%/*}" ] || mkdir -p "$STAGE/${applet%/*}"
		ln -s /bin/busybox "$STAGE/$applet"
	done <<<"$applets"
	[ -e "$STAGE/bin/sh" ] || die "$bb has no sh applet"
}

# The module tree /lib/modules/<kver>/ from a fetch-kernel.sh modules/ dir.
install_modules() {
	local dir=$1 kver ko mdir
	[ -f "$dir/modules.order" ] || die "$dir has no modules.order (not a fetch-kernel.sh modules dir?)"
	ko=$(head -n1 "$dir/modules.order")
	[ -f "$dir/$ko" ] || die "$dir/modules.order names $ko, which is missing"
	# The release the modules were built for is the first word of vermagic.
	kver=$(modinfo -F vermagic "$dir/$ko" | awk '{ print $1 }')
	[ -n "$kver" ] || die "cannot read the kernel release from $dir/$ko"
	mdir=$STAGE/lib/modules/$kver
	mkdir -p "$mdir/kernel"
	while read -r ko; do
		[ -n "$ko" ] || continue
		[ -f "$dir/$ko" ] || die "$dir/modules.order names $ko, which is missing"
		cp "$dir/$ko" "$mdir/kernel/$ko"
		echo "kernel/$ko"
	done <"$dir/modules.order" >"$mdir/modules.order"
	for f in modules.builtin modules.builtin.modinfo; do
		[ ! -f "$dir/$f" ] || cp "$dir/$f" "$mdir/"
	done
	depmod -b "$STAGE" "$kver" 2>"$WORK/depmod.log" ||
		die "depmod for the guest's modules failed: $(head -n1 "$WORK/depmod.log")"
}

write_etc() {
	mkdir -p "$STAGE/etc"
	cat >"$STAGE/etc/passwd" <<-'EOF'
		root:x:0:0:root:/root:/bin/sh
		nobody:x:65534:65534:nobody:/nonexistent:/bin/false
	EOF
	# Debian calls gid 65534 nogroup; some tools ask for nobody.
	cat >"$STAGE/etc/group" <<-'EOF'
		root:x:0:
		nogroup:x:65534:
		nobody:x:65534:
	EOF
	printf 'passwd: files\ngroup: files\nshadow: files\n' >"$STAGE/etc/nsswitch.conf"
	echo vmtest >"$STAGE/etc/hostname"
}

main() {
	local out="" binary="" script="" modules="" files=()
	[ $# -ge 1 ] || usage
	case $1 in -h | --help) usage ;; -*) die "first argument must be the output file" ;; esac
	out=$1
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--binary) binary=${2:?--binary needs a path}; shift 2 ;;
		--script) script=${2:?--script needs a file}; shift 2 ;;
		--modules) modules=${2:?--modules needs a dir}; shift 2 ;;
		--file) files+=("${2:?--file needs SRC[:DEST]}"); shift 2 ;;
		-h | --help) usage ;;
		*) die "unknown argument: $1" ;;
		esac
	done
	[ -n "$binary" ] || die "--binary is required"
	[ -n "$script" ] || die "--script is required"
	[ -f "$binary" ] && [ -x "$binary" ] || die "binary $binary is not an executable file"
	[ -f "$script" ] || die "guest script $script not found"
	command -v jq >/dev/null || die "jq not found on the host (install jq)"
	command -v cpio >/dev/null || die "cpio not found (install cpio)"

	WORK=$(mktemp -d)
	trap 'rm -rf "$WORK"' EXIT
	trap 'exit 130' INT TERM
	STAGE=$WORK/root
	mkdir -p "$STAGE"/{proc,sys,dev,tmp,run,root,mnt,vmtest,usr/bin,usr/sbin}
	# The kernel opens /dev/console before /init runs; its built-in
	# initramfs has one, ours adds it when we may create device nodes.
	[ "$(id -u)" -ne 0 ] || mknod -m 600 "$STAGE/dev/console" c 5 1

	install_busybox
	install_file "$(command -v jq)" /usr/bin/jq
	[ -z "$modules" ] || install_modules "$modules"
	install_file "$binary" /usr/bin/vfio-pinctl
	local spec src dest
	for spec in "${files[@]}"; do
		src=${spec%%:*}
		if [[ $spec == *:* ]]; then dest=${spec#*:}; else dest=/usr/bin/${src##*/}; fi
		install_file "$src" "$dest"
	done
	write_etc
	install -m 755 "$here/guest-init.sh" "$STAGE/init"
	install -m 644 "$here/lib.sh" "$STAGE/vmtest/lib.sh"
	install -m 755 "$script" "$STAGE/test.sh"

	# Sorted, root-owned entries: the same inputs give the same image.
	(cd "$STAGE" && find . -mindepth 1 -print0 | LC_ALL=C sort -z |
		cpio --null --create --format=newc --owner=0:0 --quiet) | gzip -1 >"$WORK/initrd.gz" ||
		die "cpio/gzip failed"
	mv -f "$WORK/initrd.gz" "$out" || die "cannot write $out"
}

main "$@"
