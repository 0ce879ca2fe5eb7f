#!/bin/sh
# guest-init.sh — /init (PID 1) of the test guest's initramfs (busybox ash).
#
# Sets the guest up, runs /test.sh between markers, powers off:
#   VMTEST-BEGIN
#   ...whatever /test.sh prints...
#   VMTEST-END rc=N
# If setup fails it prints "VMTEST-SETUP-FAILED: why" lines, skips the
# test and ends with rc=125. PID 1 must never exit (the kernel would panic),
# so every step is checked rather than run under set -e.
#
# Kernel command line knobs (run-guest.sh sets them):
#   vfio_bind=BDF[,BDF...]|none   devices to bind to vfio-pci
#                                 (default: the edu device, 1234:11e8)
#   vmtest_hugepages=N            vm.nr_hugepages (default 8)
#   vmtest_*=VALUE                exported to /test.sh as is (e.g. vmtest_expect)

export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
SETUP_OK=1

. /vmtest/lib.sh

setup_failed() {
	echo "VMTEST-SETUP-FAILED: $*"
	SETUP_OK=0
}

info() { echo "VMTEST: $*"; }

# mount_fs TYPE DIR [OPTIONS]
mount_fs() {
	mkdir -p "$2"
	mount -t "$1" ${3:+-o "$3"} "$1" "$2" || setup_failed "cannot mount $1 on $2"
}

mount_all() {
	mount_fs proc /proc
	mount_fs sysfs /sys
	mount_fs devtmpfs /dev
	# Our stdio may be a console the kernel could not open before devtmpfs.
	# (Guarded: a failed redirection on exec would end PID 1.)
	[ ! -c /dev/console ] || exec </dev/console >/dev/console 2>&1
	mount_fs devpts /dev/pts
	mount_fs tmpfs /dev/shm mode=1777
	mount_fs tmpfs /tmp mode=1777
	mount_fs tmpfs /run mode=755
	mount_fs hugetlbfs /dev/hugepages
	# A second mount for 1G pages when the CPU/kernel offer them (a
	# hugetlbfs mount serves one page size).
	if [ -d /sys/kernel/mm/hugepages/hugepages-1048576kB ]; then
		mount_fs hugetlbfs /dev/hugepages-1G pagesize=1G
	fi
	[ ! -d /sys/kernel/debug ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
}

# Export our knobs from the kernel command line. (The kernel also passes
# unknown a=b words to init's environment, but not all of them: words with
# a dot are taken as module parameters, so read /proc/cmdline ourselves.)
read_cmdline() {
	for w in $(cat /proc/cmdline); do
		case $w in
		vfio_bind=* | vmtest_*=*)
			name=${w%%=*}
			case $name in *[!A-Za-z0-9_]*) continue ;; esac
			export "$w"
			;;
		esac
	done
	: "${vmtest_hugepages:=8}"
	export vmtest_hugepages
}

set_hugepages() {
	case $vmtest_hugepages in
	'' | *[!0-9]*)
		setup_failed "vmtest_hugepages='$vmtest_hugepages' is not a number"
		return
		;;
	esac
	echo "$vmtest_hugepages" >/proc/sys/vm/nr_hugepages ||
		setup_failed "cannot write /proc/sys/vm/nr_hugepages"
	got=$(cat /proc/sys/vm/nr_hugepages)
	# Too little memory is the test's business to judge; say so here.
	[ "$got" -ge "$vmtest_hugepages" ] ||
		info "warning: asked for $vmtest_hugepages huge pages, got $got"
}

load_modules() {
	# A kernel without module support (build-kernel.sh's: VFIO built in) has
	# no /proc/modules and nothing to load.
	[ -e /proc/modules ] || return 0
	dir=/lib/modules/$(uname -r)
	if [ ! -f "$dir/modules.order" ]; then
		setup_failed "no modules for kernel $(uname -r) in the initramfs (built for: $(ls /lib/modules))"
		return
	fi
	while read -r ko; do
		[ -n "$ko" ] || continue
		if ! out=$(insmod "$dir/$ko" 2>&1); then
			setup_failed "insmod $ko: $out; kernel log: $(dmesg | tail -n 3 | tr '\n' ' ')"
			return
		fi
	done <"$dir/modules.order"
}

bind_devices() {
	case ${vfio_bind:=} in
	none) return ;;
	'')
		vfio_bind=$(vt_find_pci 1234 11e8 | tr '\n' ',')
		vfio_bind=${vfio_bind%,}
		if [ -z "$vfio_bind" ]; then
			setup_failed "no edu device (1234:11e8) to bind; pass vfio_bind=none or a BDF"
			return
		fi
		;;
	esac
	for bdf in $(echo "$vfio_bind" | tr ',' ' '); do
		why=$(vt_bind_vfio "$bdf") || setup_failed "$why"
	done
	export vfio_bind
}

run_test() {
	info "kernel $(uname -r); modules: $(lsmod 2>/dev/null | awk 'NR > 1 { print $1 }' | tr '\n' ' ')"
	info "vfio_bind=$vfio_bind; huge pages: $(cat /proc/sys/vm/nr_hugepages); memory: $(awk '/MemTotal/ { print $2 " kB" }' /proc/meminfo)"
	if [ "$SETUP_OK" -ne 1 ]; then
		echo "VMTEST-END rc=125"
		return
	fi
	echo "VMTEST-BEGIN"
	# stdin from /dev/null: a script that reads stdin must not hang the boot.
	(cd /tmp && exec sh /test.sh </dev/null)
	rc=$?
	echo "VMTEST-END rc=$rc"
}

main() {
	# End the firmware's last line ("Booting from ROM..." has no newline)
	# so that our markers start lines of their own.
	echo
	mount_all
	hostname vmtest
	read_cmdline
	[ "$SETUP_OK" -ne 1 ] || set_hugepages
	[ "$SETUP_OK" -ne 1 ] || load_modules
	[ "$SETUP_OK" -ne 1 ] || bind_devices
	run_test
	sync
	poweroff -f
	# Not reached unless poweroff failed: try harder, and never exit.
	sleep 2
	echo o >/proc/sysrq-trigger
	while :; do sleep 3600; done
}

main
