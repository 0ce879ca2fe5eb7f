#!/bin/sh
# vm-kernels: 6.1 6.12
# vm-args: --file /usr/bin/dpdk-testpmd --file /usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0/librte_net_e1000.so.23:/usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0/librte_net_e1000.so.23.0 --file /usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0/librte_mempool_ring.so.23:/usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0/librte_mempool_ring.so.23.0 --file tests/vm/qemu-lib.sh:/vmtest/qemu-lib.sh --file /usr/bin/tar:/usr/sbin/tar --bind 0000:00:02.0 --append vmtest_hugepages=64 --timeout 240
# t-dpdk-testpmd.sh — a real DPDK app: Debian's dpdk-testpmd (DPDK 22.11) driving the
# guest's emulated e1000e (8086:10d3, the net_e1000_em PMD) bound to vfio-pci, behind the
# guest's vIOMMU (type1 container, --iova-mode=va), its memory in 2M hugetlbfs pages. inspect
# of the running app is held against /proc (its memseg files, HugetlbPages, VmLck, the BAR
# mmaps) and /sys (the pool); type1 charges each DMA-mapped memseg page; capture + replay is
# identical. testpmd runs interactive (-i, commands from a fifo): its forwarding lcore stays
# parked, so it does not spin on the guest's one CPU.
# EAL's plugin loader takes only *.so and *.so.23.0 from its driver directory (the vm-args
# install the two PMDs under that name), refuses a world-writable path (the initramfs' / is
# 0777), and puts its runtime directory in /var/run.
. /vmtest/lib.sh
. /vmtest/qemu-lib.sh
VT_LOG_LINES=5
TAR=/usr/sbin/tar
NIC=0000:00:02.0
POOL=/sys/kernel/mm/hugepages/hugepages-2048kB
chmod 755 /
mkdir -p /var && ln -sf /run /var/run

vt_eq "the e1000e is bound to vfio-pci" "$(vt_driver_of "$NIC")" vfio-pci

# testpmd NAME [EXTRA-TESTPMD-OPTION...]: start it; TP_PID. Waits for its prompt.
testpmd() {
	tp=$1
	shift
	rm -f "$VT_TMP/$tp.in" && mkfifo "$VT_TMP/$tp.in"
	exec 8<>"$VT_TMP/$tp.in"
	free0=$(cat "$POOL/free_hugepages")
	dpdk-testpmd --lcores 0@0,1@0 -n 1 -a "$NIC" --iova-mode=va --huge-dir /dev/hugepages \
		--file-prefix "$tp" -- -i --total-num-mbufs 2048 "$@" <&8 >"$VT_TMP/$tp.out" 2>&1 &
	TP_PID=$!
	_i=0
	while ! grep -q 'testpmd> ' "$VT_TMP/$tp.out" && kill -0 "$TP_PID" 2>/dev/null && [ $_i -lt 120 ]; do
		sleep 0.5
		_i=$((_i + 1))
	done
	vt_grep "$tp: testpmd probed the e1000e with net_e1000_em" "$VT_TMP/$tp.out" \
		"Probe PCI driver: net_e1000_em \(8086:10d3\) device: $NIC"
	vt_grep "$tp: testpmd configured port 0 and waits for commands" "$VT_TMP/$tp.out" 'testpmd> '
}

testpmd_stop() {
	echo quit >&8
	_i=0
	while kill -0 "$TP_PID" 2>/dev/null && [ $_i -lt 40 ]; do sleep 0.5; _i=$((_i + 1)); done
	kill -9 "$TP_PID" 2>/dev/null
	wait "$TP_PID"
	TP_RC=$?
	exec 8>&-
}

# -- without mlockall: VmLck is the DMA charge alone
testpmd nolock --no-mlockall
pid=$TP_PID
segs=$(grep -c " /dev/hugepages/nolockmap_[0-9]*$" "/proc/$pid/maps")
files=$(ls /dev/hugepages | grep -c '^nolockmap_')
vt_diag "testpmd holds $segs memseg pages ($files files in /dev/hugepages)"
vt_cmp "testpmd mapped hugetlbfs memsegs" "$segs" -gt 0
vt_eq "one mapping per memseg file" "$segs" "$files"
vt_eq "the pool lost that many pages" $((free0 - $(cat "$POOL/free_hugepages"))) "$segs"
vt_eq "/proc's HugetlbPages are those pages" "$(vt_status_kib "$pid" HugetlbPages)" $((segs * 2048))
lck=$(vt_vmlck "$pid")
vt_eq "VmLck: type1 charged every memseg page, nothing else" "$lck" $((segs * 2048))

vfio-pinctl inspect --json "$pid" >"$VT_TMP/nolock.ij"
vt_jq "inspect: locked_bytes is /proc's VmLck" "$VT_TMP/nolock.ij" \
	'.memlock.locked_bytes == ($k | tonumber) * 1024' --arg k "$lck"
vt_jq "inspect: hugetlb bytes are /proc's HugetlbPages" "$VT_TMP/nolock.ij" \
	'.totals.hugetlb_bytes == ($n | tonumber) * 2097152' --arg n "$segs"
vt_jq "inspect: each memseg a 2M hugetlb vma, shared, chargeable" "$VT_TMP/nolock.ij" \
	'[.vmas[] | select(.path | test("^/dev/hugepages/nolockmap_[0-9]+$"))] |
	 length == ($n | tonumber) and all(.hugetlb_bytes == 2097152 and .chargeable_bytes == 2097152 and .perms == "rw-s")' \
	--arg n "$segs"
vt_jq "inspect: each memseg's role is dpdk-memseg" "$VT_TMP/nolock.ij" \
	'[.vmas[] | select(.role == "dpdk-memseg") | .path] == [.vmas[] | select(.path | test("^/dev/hugepages/nolockmap_[0-9]+$")) | .path]'
vt_jq "inspect: type1, one container, the e1000e's group" "$VT_TMP/nolock.ij" \
	'.vfio.backend == "type1" and .vfio.containers == 1 and
	 [.vfio.groups[] | .group] == [($g | tonumber)] and [.vfio.groups[].devices[].bdf] == [$d]' \
	--arg g "$(vt_group_of "$NIC")" --arg d "$NIC"
# The BAR mmaps, by /proc/PID/maps' offset: 6.1's vfio-pci mmap rewrites vm_pgoff to the BAR's
# physical address (as sysfs' resource file gives it); 6.12's keeps the region offset,
# index << 40 (VFIO_PCI_OFFSET_SHIFT). Both measured here.
bars=$(awk '$6 == "anon_inode:[vfio-device]" { print $3 }' "/proc/$pid/maps" | while read -r off; do
	idx=$((0x$off >> 40)) i=0
	while read -r start _ _; do
		[ $((start)) -eq 0 ] || [ $((start)) -ne $((0x$off)) ] || idx=$i
		i=$((i + 1))
	done <"/sys/bus/pci/devices/$NIC/resource"
	echo "$idx"
done | sort -n | tr '\n' ' ')
vt_diag "testpmd's BAR mmaps (region index from /proc/PID/maps offsets): $bars"
vt_ne "testpmd mmapped the e1000e's BARs" "$bars" ""
vt_diag "inspect's: $(jq -c '[.vmas[] | select(.path == "anon_inode:[vfio-device]") | {start, device, bar, pfnmap_bytes}]' "$VT_TMP/nolock.ij")"
vt_jq "inspect: those BAR mmaps, named the e1000e's, not charged" "$VT_TMP/nolock.ij" \
	'[.vmas[] | select(.path == "anon_inode:[vfio-device]")] |
	 ([.[].bar] | sort | map(tostring) | join(" ")) + " " == $b and
	 all(.device == $d and .chargeable_bytes == 0)' --arg b "$bars" --arg d "$NIC"

vt_run ck vfio-pinctl check --pid "$pid" --json
vt_jq "check --pid: the e1000e is bound to vfio-pci" "$VT_TMP/ck.out" \
	'.checks[] | select(.id == "device_bound" and .subject == $d) | .status == "PASS"' --arg d "$NIC"
vt_jq "check --pid: testpmd (uid 0) can open the group" "$VT_TMP/ck.out" \
	'.checks[] | select(.id == "vfio_dev_access") | .status == "PASS" and (.finding | contains("process " + $p))' --arg p "$pid"

# Its live container, read with pidfd_getfd: the mappings in use are what DPDK made (one per
# memseg: dma_entries counts the client's way), and check turns it into a live verdict.
vt_diag "inspect's contexts: $(jq -c '.vfio.contexts' "$VT_TMP/nolock.ij")"
vt_jq "inspect: one live type1 context holding one mapping per memseg" "$VT_TMP/nolock.ij" \
	'[.vfio.contexts[] | select(.kind == "type1" and .source == "live")] | length == 1 and .[0].mappings_in_use == ($n | tonumber)' \
	--arg n "$segs"
vt_jq "check --pid: dma_entries judged live" "$VT_TMP/ck.out" \
	'.checks[] | select(.id == "dma_entries") | .status == "PASS" and (.finding | startswith("live:"))'
vt_jq "check --pid: vmm is DPDK, read from its command line" "$VT_TMP/ck.out" \
	'.vmm.kind == "dpdk" and .vmm.source == "cmdline"'

vq_capture_replay "testpmd" "$pid"
vt_eq "testpmd's VmLck unchanged by inspect, check and capture" "$(vt_vmlck "$pid")" "$lck"
echo "show port info 0" >&8
testpmd_stop
vt_eq "testpmd quit cleanly" "$TP_RC" 0
# (Its stdout is a file, so buffered: the answer is there once it has exited.)
vt_grep "testpmd still answered: port 0 is the e1000e" "$VT_TMP/nolock.out" "Device name: $NIC"
# EAL leaves the memseg files it did not free in /dev/hugepages, and hugetlbfs keeps their
# pages: the pool is short by exactly those until they are removed.
left=$(ls /dev/hugepages | grep -c '^nolockmap_')
vt_eq "the pool is short by the memseg files testpmd left" $((free0 - $(cat "$POOL/free_hugepages"))) "$left"
rm -f /dev/hugepages/nolockmap_*
vt_eq "removing them gives the pages back" "$(cat "$POOL/free_hugepages")" "$free0"

# -- testpmd's default: mlockall(MCL_CURRENT | MCL_FUTURE); type1 charges the memsegs again
testpmd locked
pid=$TP_PID
segs=$(grep -c " /dev/hugepages/lockedmap_[0-9]*$" "/proc/$pid/maps")
lck=$(vt_vmlck "$pid")
mlocked=$(awk '/^[0-9a-f]+-[0-9a-f]+ / { sz = 0 } $1 == "Size:" { sz = $2 }
	$1 == "VmFlags:" { for (i = 2; i <= NF; i++) if ($i == "lo") t += sz } END { print t }' "/proc/$pid/smaps")
vt_diag "mlockall: VmLck $lck kB, VM_LOCKED vmas $mlocked kB (EAL's address-space reservations count), $segs memsegs"
vt_eq "mlockall: VmLck = the locked vmas + the memsegs DMA-mapped (charged twice)" "$lck" $((mlocked + segs * 2048))
vfio-pinctl inspect --json "$pid" >"$VT_TMP/locked.ij"
vt_jq "mlockall: inspect: locked_bytes is /proc's VmLck" "$VT_TMP/locked.ij" \
	'.memlock.locked_bytes == ($k | tonumber) * 1024' --arg k "$lck"
testpmd_stop
vt_eq "mlockall: testpmd quit cleanly" "$TP_RC" 0
vt_done
