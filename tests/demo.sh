#!/bin/bash
# make demo — vfio-pinctl map on every memory type, predicted vs measured charge.
#
#   DEVICE=0000:01:00.0 make demo   on this host, with a device bound to vfio-pci
#                                   (needs root, an IOMMU and /dev/vfio/vfio)
#   make demo                       without DEVICE: in the QEMU test guest
#                                   (tests/vm/run-guest.sh), on each of KERNELS
#
# KERNELS="6.1 6.12" (guest kernels, default both: they differ on the zero page),
# DEMO_1G=0 leaves out the 1 GiB hugetlb page (a 4G guest, a few seconds slower).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=./vfio-pinctl
[ -x "$BIN" ] || { echo "demo: build first (make)" >&2; exit 2; }

say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

host_demo() {
	local dev=$1 types=(--type anon --type thp --type zero:1M --type file --type mlock:1M --type bar)
	[ "$(id -u)" -eq 0 ] || { echo "demo: mapping on this host needs root (sudo DEVICE=$dev make demo)" >&2; exit 2; }
	[ -e /dev/vfio/vfio ] || { echo "demo: no /dev/vfio/vfio on this host (modprobe vfio-pci); run without DEVICE for the guest demo" >&2; exit 2; }
	# hugetlb only where pages are free: the demo must not fail on a host setting.
	[ "$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages 2>/dev/null || echo 0)" -ge 1 ] &&
		types+=(--type hugetlb)
	[ "$(cat /sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages 2>/dev/null || echo 0)" -ge 1 ] &&
		types+=(--type hugetlb1g)
	say "vfio-pinctl map --device $dev ${types[*]}"
	"$BIN" map --device "$dev" "${types[@]}"
	say "vfio-pinctl map --device $dev --user nobody --memlock 4M --type anon:2M --type mlock:2M --type bar"
	"$BIN" map --device "$dev" --user nobody --memlock 4M --type anon:2M --type mlock:2M --type bar || true
}

guest_demo() {
	# no_timer_check: under TCG on a busy host the IO-APIC timer check can panic the boot.
	local k args=(--append no_timer_check) rc=0
	# pci.ids (Debian package pci.ids): libpci names the guest's devices as on a real host
	[ -f /usr/share/misc/pci.ids ] || { echo "demo: /usr/share/misc/pci.ids is missing (apt-get install pci.ids; tests/install-deps.sh)" >&2; exit 2; }
	args+=(--file /usr/share/misc/pci.ids:/usr/share/misc/pci.ids)
	SCRIPT=$(mktemp)
	trap 'rm -f "$SCRIPT"' EXIT
	local t1g=""
	if [ "${DEMO_1G:-1}" = 1 ]; then
		t1g="--type hugetlb1g"
		args+=(--mem 4G --append "hugepagesz=1G hugepages=1")
	fi
	cat >"$SCRIPT" <<EOF
say() { printf '\n\$ %s\n' "\$*"; }
echo "guest kernel \$(uname -r); edu at 0000:00:03.0 bound to vfio-pci"
say vfio-pinctl map --type anon --type thp --type hugetlb $t1g --type zero:1M --type file --type mlock:1M --type bar
vfio-pinctl map --type anon --type thp --type hugetlb $t1g --type zero:1M --type file --type mlock:1M --type bar
a=\$?
say vfio-pinctl map --user nobody --memlock 4M --type anon:2M --type mlock:2M --type bar
vfio-pinctl map --user nobody --memlock 4M --type anon:2M --type mlock:2M --type bar
b=\$?
echo "(exit codes: \$a, then \$b: 8 = the kernel refused a map, as predicted)"
say "vfio-pinctl map --type anon:2M --type hugetlb --type bar --hold &   # a stand-in VMM"
vfio-pinctl map --type anon:2M --type hugetlb --type bar --hold >/dev/null 2>/tmp/hold.err &
h=\$!
i=0; while ! grep -q holding /tmp/hold.err && [ \$i -lt 60 ]; do sleep 0.5; i=\$((i + 1)); done
say vfio-pinctl inspect --summary \$h
vfio-pinctl inspect --summary \$h
say vfio-pinctl inspect -o START,SIZE,PERMS,PRESENT,ANON,HUGETLB,PFNMAP,CHARGE,DEVICE,PATH \$h
vfio-pinctl inspect -o START,SIZE,PERMS,PRESENT,ANON,HUGETLB,PFNMAP,CHARGE,DEVICE,PATH \$h | sed -n '/START/,\$p' | awk 'NR == 1 || / [0-9.]+M /'
say vfio-pinctl check --pid \$h --guest-mem 4M
vfio-pinctl check --pid \$h --guest-mem 4M
c=\$?
say vfio-pinctl groups --tree
vfio-pinctl groups --tree
kill -INT \$h; wait \$h
[ \$a -eq 0 ] && [ \$b -eq 8 ] && [ \$c -eq 0 ]
EOF
	echo "demo: this host has no usable VFIO (or DEVICE is not set): running the map demo in the QEMU test guest"
	echo "      (set DEVICE=BDF to map on a device of this host instead)"
	for k in ${KERNELS:-6.1 6.12}; do
		say "tests/vm/run-guest.sh --kernel $k ${args[*]}"
		tests/vm/run-guest.sh --kernel "$k" --script "$SCRIPT" "${args[@]}" || rc=$?
	done
	return $rc
}

if [ -n "${DEVICE:-}" ]; then
	host_demo "$DEVICE"
else
	guest_demo
fi
