#!/bin/sh
# vm-kernels: 6.1 6.12
# vm-args: --file /usr/bin/qemu-system-x86_64 --file /usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so:/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so --file /usr/share/seabios/bios-256k.bin:/usr/share/seabios/bios-256k.bin --file /usr/share/qemu/kvmvapic.bin:/usr/share/qemu/kvmvapic.bin --file tests/vm/qemu-lib.sh:/vmtest/qemu-lib.sh --file /usr/bin/tar:/usr/sbin/tar --timeout 300
# t-qemu-anon.sh — a real VMM: Debian's qemu-system-x86_64 (7.2) passing the edu device
# through, 256 MiB of anonymous guest RAM, as root. inspect of the running QEMU is held
# against the guest's /proc and /sys and QEMU's own monitor (the group, the device, the BAR
# mmap, the RAM vma's classes, VmLck = what QEMU maps for DMA on this kernel); capture +
# replay of it is identical.
#
# QEMU 7.2 has no -object iommufd (it arrived in QEMU 8.2, vfio-pci's iommufd= with it): the
# iommufd side of a real QEMU cannot be tested with Debian 12's QEMU; the last check says so
# and fails the day Debian's QEMU gains it (then an iommufd-kernel test belongs here).
. /vmtest/lib.sh
. /vmtest/qemu-lib.sh
VT_LOG_LINES=5
EDU=0000:00:03.0
TAR=/usr/sbin/tar

vq_start anon -machine q35 -m 256M -device "vfio-pci,host=$EDU"
vt_eq "QEMU is up, paused before the guest runs" "$(jq -r .return.status "$VT_TMP/anon.status")" prelaunch
pid=$VQ_PID
vq_hmp "info mtree -f" >"$VT_TMP/anon.mtree"
ram=$(vq_mtree_bytes "$VT_TMP/anon.mtree" ram)
rom=$(vq_mtree_bytes "$VT_TMP/anon.mtree" rom)
vt_diag "QEMU's AS memory: ram sections $ram bytes, rom sections $rom bytes"
# 256M minus the 256K below 1M that pc.rom and the isa-bios alias cover.
vt_eq "QEMU maps its RAM less what the ROMs hide" "$ram" $((256 * 1048576 - 262144))
vt_eq "QEMU maps pc.rom, isa-bios and pc.bios read-only" "$rom" $(((128 + 128 + 256) * 1024))

lck=$(vt_vmlck "$pid")
vt_eq "the kernel charged what QEMU maps (ROMs from 6.2 on)" $((lck * 1024)) "$(vq_dma_charge "$VT_TMP/anon.mtree")"

vt_run ij vfio-pinctl inspect --json "$pid"
vt_eq "inspect exits 0" "$VT_RC" 0
vt_jq "inspect: locked_bytes is /proc's VmLck" "$VT_TMP/ij.out" '.memlock.locked_bytes == ($k | tonumber) * 1024' --arg k "$lck"
vt_jq "inspect: the limit is /proc's" "$VT_TMP/ij.out" '.memlock.limit_bytes == ($l | tonumber)' \
	--arg l "$(awk '/^Max locked memory/ { print $4 }' "/proc/$pid/limits")"
vt_jq "inspect: type1, one container, no iommufd" "$VT_TMP/ij.out" '.vfio.backend == "type1" and .vfio.containers == 1 and .vfio.iommufds == 0'
vt_jq "inspect: the group and its device are the guest's" "$VT_TMP/ij.out" \
	'.vfio.groups | length == 1 and .[0].group == ($g | tonumber) and
	 (.[0].devices | map(.bdf)) == [$d] and .[0].devices[0].driver == "vfio-pci"' \
	--arg g "$(vt_group_of "$EDU")" --arg d "$EDU"
# The fds QEMU holds, as /proc/PID/fd names them.
nfd() { ls -l "/proc/$pid/fd" | grep -c -- "-> $1"; }
vt_jq "inspect: one fd per group, container and device, as in /proc/PID/fd" "$VT_TMP/ij.out" \
	'[.vfio.fds[] | .kind] | sort == ["container", "device", "group"]'
vt_eq "/proc/PID/fd: the group, the container, the device" \
	"$(nfd "/dev/vfio/$(vt_group_of "$EDU")") $(nfd /dev/vfio/vfio) $(nfd 'anon_inode:\[vfio-device\]')" "1 1 1"
vt_jq "inspect: CAP_IPC_LOCK seen (QEMU runs as root)" "$VT_TMP/ij.out" '.memlock.cap_ipc_lock == true'

# The BAR mmap: edu's BAR0 (1 MiB by sysfs' resource file), at the address /proc/PID/maps shows.
read -r bar_start bar_end _ <"/sys/bus/pci/devices/$EDU/resource"
bar=$((bar_end - bar_start + 1))
maps=$(grep 'anon_inode:\[vfio-device\]' "/proc/$pid/maps" | awk '{ print $1 }')
vt_ne "QEMU mmapped the device" "$maps" ""
vt_jq "inspect: the BAR mmap is named: edu BAR0, at /proc's address, the BAR's size, pfnmap" "$VT_TMP/ij.out" \
	'[.vmas[] | select(.device == $d)] | length == 1 and .[0].bar == 0 and
	 (.[0].start | ltrimstr("0x")) + "-" + (.[0].end | ltrimstr("0x")) == $m and
	 .[0].pfnmap_bytes == ($b | tonumber) and .[0].chargeable_bytes == 0' \
	--arg d "$EDU" --arg m "$maps" --arg b "$bar"

# The guest RAM vma (QEMU maps -m 256M as one 256M anonymous vma) against smaps.
vt_jq "inspect: one 256M vma, all present (pinned), all chargeable" "$VT_TMP/ij.out" \
	'[.vmas[] | select(.mapped_bytes == 268435456)] | length == 1 and .[0].present_bytes == 268435456 and
	 .[0].chargeable_bytes == 268435456 and .[0].anon_bytes + .[0].thp_bytes == 268435456'
ramvma=$(jq -r '.vmas[] | select(.mapped_bytes == 268435456) | .start | ltrimstr("0x")' "$VT_TMP/ij.out")
vt_jq "inspect: the RAM vma's THP bytes are smaps' AnonHugePages" "$VT_TMP/ij.out" \
	'.vmas[] | select(.mapped_bytes == 268435456) | .thp_bytes == ($t | tonumber) * 1024' \
	--arg t "$(vq_smaps "$pid" "$ramvma" AnonHugePages)"
vt_jq "inspect: the RAM vma's present bytes are smaps' Rss" "$VT_TMP/ij.out" \
	'.vmas[] | select(.mapped_bytes == 268435456) | .present_bytes == ($r | tonumber) * 1024' \
	--arg r "$(vq_smaps "$pid" "$ramvma" Rss)"

# Each vma's role, from QEMU's command line and its RAM block layout, against its monitor.
pcrom=$(vq_ramblock pc.rom)
pcbios=$(vq_ramblock pc.bios)
vt_jq "inspect: role guest-ram is the one 256M RAM vma" "$VT_TMP/ij.out" \
	'[.vmas[] | select(.role == "guest-ram")] | length == 1 and .[0].mapped_bytes == 268435456 and .[0].start == ("0x" + $s)' \
	--arg s "$ramvma"
vt_jq "inspect: role rom is QEMU's pc.rom and pc.bios blocks (info ramblock: $pcrom, $pcbios)" "$VT_TMP/ij.out" \
	'[.vmas[] | select(.role == "rom") | .mapped_bytes] | sort == ([$a, $b] | map(tonumber) | sort)' \
	--arg a "$pcrom" --arg b "$pcbios"
vt_jq "inspect: role bar is the BAR mmap" "$VT_TMP/ij.out" \
	'[.vmas[] | select(.role == "bar") | .device] == [$d]' --arg d "$EDU"
vt_diag "inspect's vmlck_explained: $(jq -c .memlock.vmlck_explained "$VT_TMP/ij.out")"
vt_jq "inspect: VmLck explained with /proc's figure, 1 context, QEMU's 256M RAM" "$VT_TMP/ij.out" \
	'.memlock.vmlck_explained | .contexts == 1 and .ram_bytes == 268435456 and .figure_bytes == ($k | tonumber) * 1024' \
	--arg k "$lck"
# ... and exactly: 1 x (RAM - the 256K under the ROM windows + the ROMs this kernel charges)
vt_jq "inspect: that explanation is exact (check's ROM rule for this kernel)" "$VT_TMP/ij.out" \
	'.memlock.vmlck_explained | .exact and .diff_bytes == 0 and .ram_hidden_bytes == 262144 and
	 .rom_bytes == (if $new == "1" then 524288 else 0 end)' --arg new "$(vt_kver_ge 6 2 && echo 1 || echo 0)"

# groups: the holder of edu's group is this QEMU, by the fd /proc/PID/fd shows.
gfd=$(ls -l "/proc/$pid/fd" | awk -v g="/dev/vfio/$(vt_group_of "$EDU")" '$NF == g { print $(NF - 2) }')
vfio-pinctl groups --json >"$VT_TMP/g.json"
vt_jq "groups: edu's group is held by QEMU (pid, fd $gfd as /proc/PID/fd has it)" "$VT_TMP/g.json" \
	'[.groups[] | select(.device == $d) | .holders[] | select(.what == "group")] ==
	 [{pid: ($p | tonumber), comm: "qemu-system-x86", what: "group", fd: ($f | tonumber), path: $g}]' \
	--arg d "$EDU" --arg p "$pid" --arg f "$gfd" --arg g "/dev/vfio/$(vt_group_of "$EDU")"

# The text report names the same.
vt_run it vfio-pinctl inspect "$pid"
vt_grep "inspect (table): the group's device" "$VT_TMP/it.out" "group $(vt_group_of "$EDU"): $EDU"
vt_grep "inspect (table): the BAR mmap" "$VT_TMP/it.out" "$EDU BAR0"

# check --pid: what it says about this QEMU's devices.
vt_run ck vfio-pinctl check --pid "$pid" --json
vt_jq "check --pid: the device is bound to vfio-pci" "$VT_TMP/ck.out" \
	'.checks[] | select(.id == "device_bound" and .subject == $d) | .status == "PASS"' --arg d "$EDU"
vt_jq "check --pid: QEMU (uid 0) can open the group" "$VT_TMP/ck.out" \
	'.checks[] | select(.id == "vfio_dev_access") | .status == "PASS" and (.finding | contains("process " + $p))' --arg p "$pid"

# check reads the VMM (its /proc/PID/cmdline) and inspect its live container.
vt_jq "check --pid: the VMM read from its cmdline: qemu, 256M, 1 device, 1 context, running" "$VT_TMP/ck.out" \
	'.vmm.kind == "qemu" and .vmm.source == "cmdline" and .vmm.guest_ram_bytes == 268435456 and
	 .vmm.devices == 1 and .vmm.contexts == 1 and .vmm.running == true'
vt_jq "check --pid: the limit does not apply to a root QEMU (CAP_IPC_LOCK)" "$VT_TMP/ck.out" '.memlock.limit_applies == false'
nmap=$(vq_mtree_sections "$VT_TMP/anon.mtree")
vt_jq "inspect: the live container holds QEMU's $nmap DMA mappings (its RAM and ROM sections)" "$VT_TMP/ij.out" \
	'.vfio.contexts | length == 1 and .[0].mappings_in_use == ($n | tonumber)' --arg n "$nmap"

# capture + replay: the same inspect, check and groups from the archive.
vq_capture_replay "QEMU" "$pid"
tree=$VT_TMP/vq-capture
vt_ok "the archive has QEMU's cmdline" test -s "$tree/proc/$pid/cmdline"
vfio-pinctl inspect "$pid" >"$VT_TMP/live.txt"
vfio-pinctl --sysroot "$tree" inspect "$pid" >"$VT_TMP/replay.txt"
vt_ok "inspect table of QEMU: replay == live" diff "$VT_TMP/live.txt" "$VT_TMP/replay.txt"
vfio-pinctl groups --json >"$VT_TMP/glive.json"
vfio-pinctl --sysroot "$tree" groups --json >"$VT_TMP/greplay.json"
vt_ok "groups: replay == live" diff "$VT_TMP/glive.json" "$VT_TMP/greplay.json"

lck2=$(vt_vmlck "$pid")
vt_eq "QEMU's VmLck unchanged by inspect, check and capture" "$lck2" "$lck"
vt_eq "QEMU still answers its monitor" "$(vq_qmp '{"execute":"query-status"}' | jq -r .return.status)" prelaunch
vq_stop
vt_eq "QEMU quit cleanly" "$VQ_RC" 0

# Debian 12's QEMU 7.2 has no iommufd backend object (QEMU 8.2+).
qemu-system-x86_64 -machine none -nodefaults -display none -accel tcg -object iommufd,id=i0 \
	>"$VT_TMP/iofd.out" 2>&1
vt_grep "QEMU 7.2 refuses -object iommufd (no iommufd-backed QEMU to test)" "$VT_TMP/iofd.out" \
	"Parameter 'qom-type' does not accept value 'iommufd'"
vt_done
