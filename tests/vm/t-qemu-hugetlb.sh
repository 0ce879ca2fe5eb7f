#!/bin/sh
# vm-kernels: 6.1 6.12
# vm-args: --file /usr/bin/qemu-system-x86_64 --file /usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so:/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so --file /usr/share/seabios/bios-256k.bin:/usr/share/seabios/bios-256k.bin --file /usr/share/qemu/kvmvapic.bin:/usr/share/qemu/kvmvapic.bin --file tests/vm/qemu-lib.sh:/vmtest/qemu-lib.sh --file /usr/bin/tar:/usr/sbin/tar --append vmtest_hugepages=136 --timeout 300
# t-qemu-hugetlb.sh — Debian's QEMU 7.2 with its 256 MiB of guest RAM on hugetlbfs (2M
# pages), the edu device passed through, as root: the legacy -mem-path (a private mapping of
# an unlinked file QEMU creates there) and a shared memory-backend-file (what libvirt's
# <memoryBacking><hugepages/> gives). inspect is held against /proc (HugetlbPages, the vma's
# file), /sys (the pool's free pages) and QEMU's monitor (the RAM block's page size); type1
# charges hugetlb pages like anonymous ones, so VmLck is the anonymous figure; capture +
# replay is identical.
. /vmtest/lib.sh
. /vmtest/qemu-lib.sh
VT_LOG_LINES=5
EDU=0000:00:03.0
TAR=/usr/sbin/tar
POOL=/sys/kernel/mm/hugepages/hugepages-2048kB

# one NAME PERMS BLOCK QEMU-ARGS...: a QEMU whose RAM (RAM block BLOCK) is a hugetlbfs
# mapping with PERMS (rw-p private, rw-s shared).
one() {
	name=$1 perms=$2 block=$3
	shift 3
	free0=$(cat "$POOL/free_hugepages")
	if ! vq_start "$name" -machine q35 -m 256M -device "vfio-pci,host=$EDU" "$@"; then
		vt_fail "$name: QEMU starts" "exit $VQ_RC" "$(head -n 3 "$VT_TMP/$name.qerr")"
		return
	fi
	pid=$VQ_PID
	free1=$(cat "$POOL/free_hugepages")
	vt_eq "$name: QEMU took 128 pages of 2M from the pool" $((free0 - free1)) 128
	vt_eq "$name: /proc's HugetlbPages is the guest's RAM" "$(vt_status_kib "$pid" HugetlbPages)" 262144
	vt_eq "$name: QEMU's RAM block $block has 2 MiB pages" \
		"$(vq_hmp "info ramblock" | awk -v b="$block" '$1 == b { print $2, $3 }')" "2 MiB"
	vq_hmp "info mtree -f" >"$VT_TMP/$name.mtree"
	lck=$(vt_vmlck "$pid")
	vt_eq "$name: the kernel charged hugetlb RAM as anon (ROMs from 6.2 on)" $((lck * 1024)) \
		"$(vq_dma_charge "$VT_TMP/$name.mtree")"

	vfio-pinctl inspect --json "$pid" >"$VT_TMP/$name.ij"
	vt_jq "$name: inspect: locked_bytes is /proc's VmLck" "$VT_TMP/$name.ij" \
		'.memlock.locked_bytes == ($k | tonumber) * 1024' --arg k "$lck"
	vt_jq "$name: inspect: hugetlb bytes are /proc's HugetlbPages" "$VT_TMP/$name.ij" \
		'.totals.hugetlb_bytes == 268435456'
	# The RAM vma as /proc/PID/maps shows it: its range, perms and hugetlbfs file (QEMU
	# unlinks the file it creates in a directory mem-path: "... (deleted)").
	line=$(awk -v p="$perms" '$2 == p && $6 ~ "^/dev/hugepages/"' "/proc/$pid/maps")
	range=${line%% *}
	path=$(printf '%s\n' "$line" | sed 's/^[^ ]* *[^ ]* *[^ ]* *[^ ]* *[^ ]* *//')
	vt_ne "$name: /proc/PID/maps has the hugetlbfs RAM ($perms)" "$range" ""
	vt_jq "$name: inspect: that vma, all of it hugetlb, chargeable, the file /proc names" "$VT_TMP/$name.ij" \
		'[.vmas[] | select((.start | ltrimstr("0x")) + "-" + (.end | ltrimstr("0x")) == $r)] |
		 length == 1 and .[0].hugetlb_bytes == 268435456 and .[0].chargeable_bytes == 268435456 and
		 .[0].perms == $p and .[0].path == $f' --arg r "$range" --arg p "$perms" --arg f "$path"
	vt_jq "$name: inspect: that vma's role is guest-ram" "$VT_TMP/$name.ij" \
		'[.vmas[] | select(.role == "guest-ram") | (.start | ltrimstr("0x")) + "-" + (.end | ltrimstr("0x"))] == [$r]' \
		--arg r "$range"
	vt_jq "$name: inspect: the BAR mmap is named" "$VT_TMP/$name.ij" \
		'[.vmas[] | select(.device == $d and .bar == 0)] | length == 1' --arg d "$EDU"

	# check of the running QEMU: its 128 pages are held, not asked for again from the
	# pool (which has few left); its need and VmLck are what the kernel charged.
	vfio-pinctl check --json --pid "$pid" >"$VT_TMP/$name.cj"
	vt_diag "$name: check's hugepages: $(jq -c '.checks[] | select(.id == "hugepages") | [.status, .finding]' "$VT_TMP/$name.cj")"
	vt_jq "$name: check --pid: hugepages PASS, the running VMM's pages held (not needed free)" "$VT_TMP/$name.cj" \
		'.checks[] | select(.id == "hugepages") | .status == "PASS" and (.finding | contains("held"))'
	vt_jq "$name: check --pid: vmm read from its command line (256M, 1 device, 1 context)" "$VT_TMP/$name.cj" \
		'.vmm.kind == "qemu" and .vmm.source == "cmdline" and .vmm.guest_ram_bytes == 268435456 and .vmm.devices == 1 and .vmm.contexts == 1'
	vt_jq "$name: check --pid: need_detail's final charge is /proc's VmLck" "$VT_TMP/$name.cj" \
		'.memlock.need_detail.ram + .memlock.need_detail.roms == ($k | tonumber) * 1024' --arg k "$lck"

	vq_capture_replay "$name" "$pid"

	vq_stop
	vt_eq "$name: QEMU quit cleanly" "$VQ_RC" 0
	vt_eq "$name: the pages went back to the pool" "$(cat "$POOL/free_hugepages")" "$free0"
}

vt_cmp "the pool has room for a 256M guest" "$(cat "$POOL/free_hugepages")" -ge 128
one mempath rw-p pc.ram -mem-path /dev/hugepages
one memfile rw-s ram0 -machine memory-backend=ram0 \
	-object memory-backend-file,id=ram0,size=256M,mem-path=/dev/hugepages,share=on
vt_done
