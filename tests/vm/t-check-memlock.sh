#!/bin/sh
# vm-kernels: 6.1 6.12
# vm-args:
# t-check-memlock.sh — `check --pid` against a running `vfio-pinctl map --hold`
# with a low memlock limit, set against what the kernel does with that limit;
# then `check --probe`: a real map and unmap with the charge verified.
. /vmtest/lib.sh

T=$VT_TMP
EDU=0000:00:03.0

# The kernel's answer first: 8M under a 4M limit (no CAP_IPC_LOCK) is refused.
vt_run refused vfio-pinctl map --device "$EDU" --memlock 4M --type anon:8M
vt_eq "the kernel refuses 8M under a 4M memlock limit (map exits 8)" "$VT_RC" 8

# A holder: 1M mapped under a 4M limit, kept until SIGTERM.
vfio-pinctl map --device "$EDU" --memlock 4M --type anon:1M --hold >"$T/hold.out" 2>"$T/hold.err" &
pid=$!
i=0
while ! grep -q 'holding' "$T/hold.err" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
vt_grep "map --hold is holding" "$T/hold.err" 'holding'
lim=$(awk '/^Max locked memory/ { print $4 }' "/proc/$pid/limits")
vt_eq "the holder runs under a 4M limit" "$lim" 4194304
lck=$(vt_vmlck "$pid")

vt_run low vfio-pinctl check --pid "$pid" --guest-mem 8M --json
vt_ok "low: a JSON report was written" test -s "$T/low.out"
vt_eq "check --pid: a guest of 8M under the holder's 4M limit is CRITICAL" "$VT_RC" 2
vt_jq "memlock FAIL for the holder" "$T/low.out" \
	'.checks[] | select(.id == "memlock") | .status == "FAIL" and (.finding | test("process [0-9]+")) and (.fix | test("prlimit --pid"))'
vt_jq "its limit is what /proc/PID/limits says" "$T/low.out" '.target.memlock_soft_bytes == ($l | tonumber)' --arg l "$lim"
vt_jq "its VmLck is what the kernel charged" "$T/low.out" '.target.vm_lck_bytes == ($k | tonumber) * 1024' --arg k "$lck"
vt_jq "no CAP_IPC_LOCK in the holder" "$T/low.out" '.target.cap_ipc_lock == false'
vt_run fits vfio-pinctl check --pid "$pid" --guest-mem 2M --json
vt_ok "fits: a JSON report was written" test -s "$T/fits.out"
vt_jq "a guest of 2M fits the same limit: memlock PASS" "$T/fits.out" \
	'.checks[] | select(.id == "memlock") | .status == "PASS"'
vt_run busy vfio-pinctl check --pid "$pid" --guest-mem 2M --probe --json
vt_ok "busy: a JSON report was written" test -s "$T/busy.out"
vt_jq "--probe skips the group the holder has open" "$T/busy.out" \
	'.checks[] | select(.id == "probe") | .status == "SKIP" and (.finding | test("busy"))'
kill -TERM "$pid"
wait "$pid"
hold_rc=$?
vt_ok "the holder unmapped and exited on SIGTERM (rc $hold_rc)" test "$hold_rc" -eq 0 -o "$hold_rc" -eq 10
vt_fails "the holder is gone" test -e "/proc/$pid/status"

# --probe: map and unmap 1M for real.
vt_run probe vfio-pinctl check --guest-mem 2M --probe --json
vt_ok "probe: a JSON report was written" test -s "$T/probe.out"
vt_eq "check --probe exits 0" "$VT_RC" 0
vt_jq "probe PASS: VmLck +1024K and back" "$T/probe.out" \
	'.checks[] | select(.id == "probe" and .subject == $d) | .status == "PASS" and (.finding | test("VmLck \\+1024K"))' --arg d "$EDU"
vt_jq "probe: a fresh container has dma_entry_limit mappings free" "$T/probe.out" \
	'.checks[] | select(.id == "probe") | .finding | test("dma_avail " + ($l))' \
	--arg l "$(cat /sys/module/vfio_iommu_type1/parameters/dma_entry_limit)"
vt_eq "VmLck of this shell is unchanged" "$(vt_vmlck $$)" "$(vt_vmlck $$)"
vt_run probe-text vfio-pinctl check --guest-mem 2M --probe
echo "# --- check --probe, text ---"; cat "$T/probe-text.out"

vt_done
