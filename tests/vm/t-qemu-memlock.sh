#!/bin/sh
# vm-kernels: 6.1 6.12
# vm-args: --file /usr/bin/qemu-system-x86_64 --file /usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so:/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so --file /usr/share/seabios/bios-256k.bin:/usr/share/seabios/bios-256k.bin --file /usr/share/qemu/kvmvapic.bin:/usr/share/qemu/kvmvapic.bin --file tests/vm/qemu-lib.sh:/vmtest/qemu-lib.sh --timeout 300
# t-qemu-memlock.sh — Debian's QEMU 7.2 passing the edu device through, against
# RLIMIT_MEMLOCK:
# - as root with -overcommit mem-lock=on (mlockall): VmLck is every locked vma plus the DMA
#   charge again (type1 does not subtract pages that are already mlocked), and that DMA
#   charge includes the ROMs on 6.1 too (mlockall populated them before vfio-pci realize);
# - as nobody (no CAP_IPC_LOCK) under a limit just below, at and above the peak type1 charges
#   this QEMU, and at exactly the guest's RAM (256M): below, QEMU fails with ENOMEM from
#   VFIO_IOMMU_MAP_DMA; at and above it runs and inspect's headroom is the limit less /proc's
#   VmLck. The peak is the larger of what realize maps (all of pc.ram, and pc.bios, charged
#   from 6.2) and the final charge (RAM less the 256K the ROMs hide, plus the ROM sections
#   from 6.2): 256M = 262144 kB on 6.1 (final 261888 kB), 262400 kB on 6.12 (both), where a
#   256M limit is 256K short.
. /vmtest/lib.sh
. /vmtest/qemu-lib.sh
VT_LOG_LINES=5
EDU=0000:00:03.0
GROUP=$(vt_group_of "$EDU")
QARGS="-machine q35 -m 256M -device vfio-pci,host=$EDU"

# -- root, -overcommit mem-lock=on
# shellcheck disable=SC2086 # QARGS is words
vq_start mlock $QARGS -overcommit mem-lock=on
pid=$VQ_PID
vq_hmp "info mtree -f" >"$VT_TMP/mlock.mtree"
ram=$(vq_mtree_bytes "$VT_TMP/mlock.mtree" ram)
rom=$(vq_mtree_bytes "$VT_TMP/mlock.mtree" rom)
whole=$(vq_ramblock pc.ram)
bios=$(vq_ramblock pc.bios)
vt_eq "QEMU's monitor: RAM block pc.ram is the 256M guest RAM" "$whole" 268435456
vt_eq "QEMU's monitor: RAM block pc.bios is SeaBIOS' 256K" "$bios" 262144
lck=$(vt_vmlck "$pid")
# What mlockall charged: the size of every VM_LOCKED vma ("lo" in smaps' VmFlags).
mlocked=$(awk '/^[0-9a-f]+-[0-9a-f]+ / { sz = 0 } $1 == "Size:" { sz = $2 }
	$1 == "VmFlags:" { for (i = 2; i <= NF; i++) if ($i == "lo") t += sz } END { print t }' "/proc/$pid/smaps")
vt_diag "mem-lock=on: VmLck $lck kB, VM_LOCKED vmas $mlocked kB, QEMU maps ram $ram + rom $rom bytes"
vt_eq "mem-lock=on: VmLck = the locked vmas + RAM and ROMs DMA-mapped (charged twice)" \
	$((lck * 1024)) $((mlocked * 1024 + ram + rom))
vfio-pinctl inspect --json "$pid" >"$VT_TMP/mlock.ij"
vt_jq "mem-lock=on: inspect: locked_bytes is /proc's VmLck" "$VT_TMP/mlock.ij" \
	'.memlock.locked_bytes == ($k | tonumber) * 1024' --arg k "$lck"
vt_jq "mem-lock=on: inspect: the mlock charge is the VM_LOCKED vmas'" "$VT_TMP/mlock.ij" \
	'.memlock.mlock_charged_bytes == ($m | tonumber) * 1024' --arg m "$mlocked"
vt_jq "mem-lock=on: inspect: what mlock leaves unexplained is the DMA charge" "$VT_TMP/mlock.ij" \
	'.memlock.dma_locked_estimate_bytes == ($d | tonumber)' --arg d $((ram + rom))
vt_jq "mem-lock=on: inspect: the guest RAM vma is locked" "$VT_TMP/mlock.ij" \
	'[.vmas[] | select(.mapped_bytes == 268435456)] | length == 1 and (.[0].vmflags | index("lo") != null)'
vq_stop
vt_eq "mem-lock=on: QEMU quit cleanly" "$VQ_RC" 0

# -- nobody under limits around its need
# What type1 charges this QEMU at the end, and at its peak. vfio-pci realize maps the memory
# map of that moment: pc.ram whole (iova 0, 256M) and pc.bios below 4G; only later are
# pc.rom and the isa-bios alias laid over 0xc0000-0xfffff, when QEMU unmaps the 256K of RAM
# they hide (uncharged) and maps them. ROM pages are charged from 6.2 on only (see
# vq_dma_charge). QEMU's errors show the order: at a limit 4K short of the peak, 6.1 fails
# on "Region pc.ram: vfio_dma_map(..., 0x0, 0x10000000, ...)", 6.12 on "Region pc.bios". The
# limit must cover the larger of the two.
final=$(vq_dma_charge "$VT_TMP/mlock.mtree")
realize=$whole
! vt_kver_ge 6 2 || realize=$((whole + bios))
need=$final
[ "$realize" -le "$need" ] || need=$realize
vt_diag "type1 charges this QEMU $final bytes ($((final / 1024)) kB) once it runs, $need bytes at its peak, on $(uname -r)"
chown 65534:65534 "/dev/vfio/$GROUP"
VQ_USER=nobody:nogroup

# unpriv NAME KIB: start QEMU as nobody with RLIMIT_MEMLOCK KIB.
unpriv() {
	VQ_MEMLOCK=$2
	# shellcheck disable=SC2086 # QARGS is words
	vq_start "$1" $QARGS
}
if unpriv below $((need / 1024 - 4)); then
	vt_fail "limit 4K below the need: QEMU fails" "it runs, VmLck $(vt_vmlck "$VQ_PID") kB"
	vq_stop
else
	vt_cmp "limit 4K below the need: QEMU fails" "$VQ_RC" -ne 0
fi
vt_diag "below: QEMU said: $(grep -m 1 vfio_dma_map "$VT_TMP/below.qerr")"
vt_grep "below: QEMU's error is ENOMEM from its DMA map" "$VT_TMP/below.qerr" \
	'vfio_dma_map\(.*\) = -12 \(Cannot allocate memory\)'
# check, given the same command line, as nobody under the same limit, says it is short
# and by how much (QEMU failed, so there is no pid to point it at).
printf '%s\n' "qemu-system-x86_64 -S -nodefaults -display none $QARGS" >"$VT_TMP/q.cmdline"
chmod 644 "$VT_TMP/q.cmdline"; chmod 755 "$VT_TMP"
(
	ulimit -l $((need / 1024 - 4)) || exit 125
	# -x: vfio-pinctl itself (a /bin/sh would match this shell: "already running")
	exec start-stop-daemon -S -c nobody:nogroup -p "$VT_TMP/chk.nopid" -x "$(command -v vfio-pinctl)" -- \
		check --json --qemu-cmdline "$VT_TMP/q.cmdline"
) >"$VT_TMP/below.cj" 2>"$VT_TMP/below.cerr"
vt_diag "below: check said: $(jq -c '.checks[] | select(.id == "memlock") | .finding' "$VT_TMP/below.cj")"
vt_jq "below: check --qemu-cmdline: memlock need = the measured peak ($need)" "$VT_TMP/below.cj" \
	'.memlock.need_bytes == ($n | tonumber)' --arg n "$need"
vt_jq "below: check --qemu-cmdline: memlock FAIL, short by 4K" "$VT_TMP/below.cj" \
	'(.checks[] | select(.id == "memlock") | .status == "FAIL") and .memlock.short_bytes == 4096'

for case in at:0 above:1024; do
	name=${case%%:*} extra=${case#*:}
	lim=$((need / 1024 + extra))
	if ! unpriv "$name" "$lim"; then
		vt_fail "$name the need (limit $lim kB): QEMU runs" "exit $VQ_RC" "$(head -n 3 "$VT_TMP/$name.qerr")"
		continue
	fi
	pid=$VQ_PID
	vt_eq "$name the need: QEMU runs as nobody" "$(awk '$1 == "Uid:" { print $2 }' "/proc/$pid/status")" 65534
	vt_eq "$name the need: VmLck is the final charge" $(($(vt_vmlck "$pid") * 1024)) "$final"
	vfio-pinctl inspect --json "$pid" >"$VT_TMP/$name.ij"
	vt_jq "$name the need: inspect: no CAP_IPC_LOCK, the limit /proc shows" "$VT_TMP/$name.ij" \
		'.memlock.cap_ipc_lock == false and .memlock.limit_bytes == ($l | tonumber) * 1024' --arg l "$lim"
	vt_jq "$name the need: inspect: headroom = limit - VmLck, not over" "$VT_TMP/$name.ij" \
		'.memlock.headroom_bytes == ($x | tonumber) and .memlock.over_limit == false' --arg x $((lim * 1024 - final))
	vfio-pinctl check --json --pid "$pid" >"$VT_TMP/$name.cj"
	vt_jq "$name the need: check --pid: need = the measured peak, memlock PASS" "$VT_TMP/$name.cj" \
		'.memlock.need_bytes == ($n | tonumber) and .memlock.short_bytes == 0 and (.checks[] | select(.id == "memlock") | .status == "PASS")' --arg n "$need"
	vq_stop
	vt_eq "$name the need: QEMU quit cleanly" "$VQ_RC" 0
done

# Exactly the guest's RAM, the limit a user (and today's check) would set for a 256M guest.
if unpriv ram 262144; then
	ran=yes
	vq_stop
else
	ran=no
fi
if [ "$need" -le 268435456 ]; then want=yes; else want=no; fi
vt_eq "a 256M limit runs QEMU exactly when the need ($need) is at most 256M" "$ran" "$want"
if [ "$ran" = no ]; then
	vt_diag "256M limit: QEMU said: $(grep -m 1 vfio_dma_map "$VT_TMP/ram.qerr")"
	vt_grep "256M limit: QEMU's error is ENOMEM" "$VT_TMP/ram.qerr" '= -12 \(Cannot allocate memory\)'
fi
vt_done
