#!/bin/sh
# vm-kernels: 6.1 6.12
# vm-args: --file /usr/bin/qemu-system-x86_64 --file /usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so:/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so --file /usr/share/seabios/bios-256k.bin:/usr/share/seabios/bios-256k.bin --file /usr/share/qemu/kvmvapic.bin:/usr/share/qemu/kvmvapic.bin --file tests/vm/qemu-lib.sh:/vmtest/qemu-lib.sh --file /usr/bin/tar:/usr/sbin/tar --device edu --bind 0000:00:03.0,0000:00:04.0 --timeout 300
# t-qemu-viommu.sh — Debian's QEMU 7.2 with two passed-through devices (two edu, each its own
# group), 256 MiB anon RAM, as root:
# - without a vIOMMU both share one container: one DMA context, VmLck = 1 x what QEMU maps;
# - with -device intel-iommu in front of them (the kubevirt#18915 shape) each device gets its
#   own address space, so its own container, and type1 charges the same RAM once per
#   container: VmLck = 2 x (RAM sections, plus ROM sections from 6.2). (The guest never runs:
#   with its DMAR off each device's address space is the system memory, mapped whole.)
# inspect counts the containers /proc/PID/fd holds; capture + replay is identical. As nobody,
# the two contexts need twice one context's peak: 4K less fails with ENOMEM, exactly it runs.
. /vmtest/lib.sh
. /vmtest/qemu-lib.sh
VT_LOG_LINES=5
TAR=/usr/sbin/tar
E1=0000:00:03.0 E2=0000:00:04.0

vt_eq "two edu devices bound to vfio-pci" "$(vt_driver_of "$E1") $(vt_driver_of "$E2")" "vfio-pci vfio-pci"
vt_ne "in two groups" "$(vt_group_of "$E1")" "$(vt_group_of "$E2")"

# two NAME MACHINE [ARGS...]: QEMU with both devices; checks what is common to both shapes.
two() {
	name=$1 machine=$2
	shift 2
	if ! vq_start "$name" -machine "$machine" -m 256M "$@" \
		-device "vfio-pci,host=$E1" -device "vfio-pci,host=$E2"; then
		vt_fail "$name: QEMU starts" "exit $VQ_RC" "$(head -n 3 "$VT_TMP/$name.qerr")"
		return 1
	fi
	pid=$VQ_PID
	vq_hmp "info mtree -f" >"$VT_TMP/$name.mtree"
	vt_diag "$name: address spaces: $(grep '^ AS "' "$VT_TMP/$name.mtree" | sed 's/, root:.*//; s/^ AS //' | sort -u | tr '\n' ' ')"
	one=$(vq_dma_charge "$VT_TMP/$name.mtree")
	lck=$(vt_vmlck "$pid")
	ncont=$(ls -l "/proc/$pid/fd" | grep -c -- '-> /dev/vfio/vfio$')
	vt_diag "$name: VmLck $lck kB, $ncont containers, one context charges $one bytes"
	vfio-pinctl inspect --json "$pid" >"$VT_TMP/$name.ij"
	vt_jq "$name: inspect: locked_bytes is /proc's VmLck" "$VT_TMP/$name.ij" \
		'.memlock.locked_bytes == ($k | tonumber) * 1024' --arg k "$lck"
	vt_jq "$name: inspect: the containers /proc/PID/fd holds" "$VT_TMP/$name.ij" \
		'.vfio.containers == ($n | tonumber) and ([.vfio.fds[] | select(.kind == "container")] | length) == ($n | tonumber)' \
		--arg n "$ncont"
	vt_jq "$name: inspect: both groups, both devices" "$VT_TMP/$name.ij" \
		'[.vfio.groups[] | .devices[].bdf] | sort == [$a, $b]' --arg a "$E1" --arg b "$E2"
	# Both devices are edus with the same BAR layout. Which device fd each mmap came from is
	# not asserted yet: main's inspect names both mmaps 0000:00:03.0 (measured), since a
	# device fd carries no BDF it reads; naming device fds is issue 9's live-contexts work.
	nbar=$(grep -c 'anon_inode:\[vfio-device\]' "/proc/$pid/maps")
	vt_diag "$name: BAR mmaps per inspect: $(jq -c '[.vmas[] | select(.path == "anon_inode:[vfio-device]") | {start, device, bar}]' "$VT_TMP/$name.ij")"
	vt_eq "$name: /proc/PID/maps: a BAR mmap per device" "$nbar" 2
	# 6.1's mmap offset is the BAR's physical address: each names its device. 6.12's is the
	# region index only, the same for both edus: inspect says it cannot tell, never guesses.
	if vt_kver_ge 6 2; then
		vt_jq "$name: inspect: the two BAR0 mmaps, device unknown (same region offset)" "$VT_TMP/$name.ij" \
			'[.vmas[] | select(.path == "anon_inode:[vfio-device]")] | length == 2 and all(.device == null and .device_ambiguous and .bar == 0)'
	else
		vt_jq "$name: inspect: each BAR0 mmap names its own device (physical address)" "$VT_TMP/$name.ij" \
			'[.vmas[] | select(.path == "anon_inode:[vfio-device]") | .device] | sort == [$a, $b]' --arg a "$E1" --arg b "$E2"
	fi
	vt_jq "$name: inspect: each is an edu's BAR0, 1M of pfnmap" "$VT_TMP/$name.ij" \
		'[.vmas[] | select(.path == "anon_inode:[vfio-device]")] | length == 2 and
		 all(.bar == 0 and .pfnmap_bytes == 1048576 and (.device == $a or .device == $b or (.device == null and .device_ambiguous)))' --arg a "$E1" --arg b "$E2"
	return 0
}

if two shared q35; then
	vt_eq "no vIOMMU: one container for both devices" "$ncont" 1
	vt_eq "no vIOMMU: VmLck = 1 x what QEMU maps" $((lck * 1024)) "$one"
	vt_jq "no vIOMMU: inspect: one context" "$VT_TMP/shared.ij" \
		'.memlock.multiple_contexts == false and .memlock.vmlck_explained.contexts == 1'
	vq_stop
fi

if two viommu q35,kernel-irqchip=split -device intel-iommu,caching-mode=on; then
	vt_eq "vIOMMU: a container per device" "$ncont" 2
	vt_eq "vIOMMU: VmLck = 2 x what QEMU maps (RAM charged per context)" $((lck * 1024)) $((2 * one))
	vt_jq "vIOMMU: inspect: multiple contexts, VmLck explained by 2" "$VT_TMP/viommu.ij" \
		'.memlock.multiple_contexts == true and .memlock.vmlck_explained.contexts == 2'
	vfio-pinctl check --pid "$pid" --json >"$VT_TMP/viommu.ck"
	vt_jq "vIOMMU: check --pid reads a vIOMMU, 2 devices, 2 contexts from QEMU's cmdline" "$VT_TMP/viommu.ck" \
		'.vmm.kind == "qemu" and .vmm.viommu != null and .vmm.devices == 2 and .vmm.contexts == 2'
	vt_jq "vIOMMU: inspect: two live contexts" "$VT_TMP/viommu.ij" '.vfio.contexts | length == 2'
	vq_capture_replay "vIOMMU QEMU" "$pid"
	whole=$(vq_ramblock pc.ram)
	bios=$(vq_ramblock pc.bios)
	vq_stop
	vt_eq "vIOMMU: QEMU quit cleanly" "$VQ_RC" 0

	# The limit two contexts need, as nobody: each container's realize maps pc.ram whole and
	# pc.bios (charged from 6.2) before the ROMs hide 256K of RAM (see t-qemu-memlock), so
	# twice the larger of that and one context's final charge.
	realize=$whole
	! vt_kver_ge 6 2 || realize=$((whole + bios))
	peak=$one
	[ "$realize" -le "$peak" ] || peak=$realize
	vt_diag "vIOMMU: one context peaks at $peak bytes; two need $((2 * peak))"
	for g in "$(vt_group_of "$E1")" "$(vt_group_of "$E2")"; do chown 65534:65534 "/dev/vfio/$g"; done
	VQ_USER=nobody:nogroup
	VQ_MEMLOCK=$((2 * peak / 1024 - 4))
	if vq_start short -machine q35,kernel-irqchip=split -m 256M -device intel-iommu,caching-mode=on \
		-device "vfio-pci,host=$E1" -device "vfio-pci,host=$E2"; then
		vt_fail "vIOMMU as nobody, 4K short of 2 x the peak: QEMU fails" "it runs, VmLck $(vt_vmlck "$VQ_PID") kB"
		vq_stop
	else
		vt_cmp "vIOMMU as nobody, 4K short of 2 x the peak: QEMU fails" "$VQ_RC" -ne 0
		vt_diag "short: QEMU said: $(grep -m 1 vfio_dma_map "$VT_TMP/short.qerr")"
		vt_grep "short: ENOMEM from a DMA map" "$VT_TMP/short.qerr" '= -12 \(Cannot allocate memory\)'
	fi
	VQ_MEMLOCK=$((2 * peak / 1024))
	if vq_start exact -machine q35,kernel-irqchip=split -m 256M -device intel-iommu,caching-mode=on \
		-device "vfio-pci,host=$E1" -device "vfio-pci,host=$E2"; then
		vt_eq "vIOMMU as nobody at 2 x the peak: QEMU runs, VmLck 2 x the final charge" \
			$(($(vt_vmlck "$VQ_PID") * 1024)) $((2 * one))
		vq_stop
	else
		vt_fail "vIOMMU as nobody at 2 x the peak: QEMU runs" "exit $VQ_RC" "$(head -n 3 "$VT_TMP/exact.qerr")"
	fi
	VQ_USER="" VQ_MEMLOCK=""
fi
vt_done
