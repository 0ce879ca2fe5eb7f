# vm-args: --append vmtest_hugepages=8 --append no_timer_check
# vm-kernels: 6.1 6.12 iommufd
# map --hold: the mappings stay while inspect looks at the process from
# outside (VmLck read independently from /proc), a second map finds the group
# busy, SIGINT/SIGTERM unmaps and the counters return; a SIGINT before the
# work is done exits 10 with everything released; --user --hold holds in the
# child, as nobody without capabilities.
. /vmtest/lib.sh
VT_LOG_LINES=12

EDU=0000:00:03.0
G=$(vt_group_of $EDU)
M1=1048576

# wait_hold ERRFILE: the pid from the "holding" line, within 60 s
wait_hold() {
	_i=0
	while [ $_i -lt 120 ]; do
		_p=$(sed -n 's/.*holding .* in pid \([0-9][0-9]*\);.*/\1/p' "$1")
		[ -n "$_p" ] && { echo "$_p"; return 0; }
		sleep 0.5
		_i=$((_i + 1))
	done
	return 1
}

# --- hold in this process, inspect from outside, busy, SIGINT ------------------------
vfio-pinctl map --json --type anon:2M --type hugetlb --type bar --hold >/tmp/hold.json 2>/tmp/hold.err &
bg=$!
pid=$(wait_hold /tmp/hold.err)
vt_ne "hold: the holding line names a pid" "$pid" ""
vt_eq "hold: the holder is vfio-pinctl itself" "$pid" "$bg"
vt_cmp "hold: VmLck of the holder, read from /proc: 4M (anon 2M + hugetlb 2M, bar free)" "$(vt_vmlck "$pid")" -eq 4096
vt_cmp "hold: VmPin stays 0 under type1" "$(vt_vmpin "$pid")" -eq 0

vt_run insp vfio-pinctl inspect --json "$pid"
vt_eq "inspect of the holder: exit 0" "$VT_RC" 0
vt_jq "inspect: one type1 container and group $G with edu" /tmp/insp.out \
	".vfio.backend == \"type1\" and .vfio.containers == 1 and .vfio.groups[0].group == $G and .vfio.groups[0].devices[0].bdf == \"$EDU\""
vt_jq "inspect: VmLck 4M, all of it DMA (nothing mlocked)" /tmp/insp.out \
	'.memlock.locked_bytes == 4194304 and .memlock.mlocked_bytes == 0'
vt_jq "inspect: the BAR mmap is named edu BAR0" /tmp/insp.out \
	"[.vmas[] | select(.device == \"$EDU\" and .bar == 0)] | length == 1"
vt_jq "inspect: the held anon and hugetlb pages are there" /tmp/insp.out \
	'.totals.hugetlb_bytes >= 2097152 and .totals.anon_bytes >= 2097152'

vt_run busy vfio-pinctl map --json --type anon:1M
vt_eq "busy: a second map exits 7 (device unusable)" "$VT_RC" 7
vt_grep "busy: it names the group and the holder" /tmp/busy.err "IOMMU group $G is busy: pid $pid \\(vfio-pinctl\\) holds /dev/vfio/$G"
vt_jq "busy: JSON carries the message" /tmp/busy.out '.exit_code == 7 and (.error.message | test("busy"))'

kill -INT "$pid"
wait "$bg"
vt_eq "hold: SIGINT ends the hold normally: exit 0" "$?" 0
vt_jq "hold: held, not interrupted, baseline restored" /tmp/hold.json \
	'.held and (.interrupted | not) and .baseline_restored and .final.vmlck_bytes == 0 and .final.hugepages_after == .final.hugepages_before'
vt_jq "hold: the three mappings agreed" /tmp/hold.json '(.regions | length) == 3 and ([.regions[].agree] | all)'
vt_run free vfio-pinctl map --json --type anon:1M
vt_eq "after the hold the group is free again" "$VT_RC" 0

# --- text mode: the table is printed when the hold starts ------------------------------
vfio-pinctl map --type anon:1M --hold >/tmp/holdt.out 2>/tmp/holdt.err &
bg=$!
pid=$(wait_hold /tmp/holdt.err)
vt_grep "hold text: table printed while holding" /tmp/holdt.out '^ *1 +anon +1M +rw .* \+1M +\+1M +yes'
kill -TERM "$pid"
wait "$bg"
vt_eq "hold text: SIGTERM ends it: exit 0" "$?" 0
vt_grep "hold text: release line" /tmp/holdt.out '^release: +held until signalled; VmLck 0B \(baseline 0B\).*baseline restored$'

# --- interrupted before the work was done ----------------------------------------------
vfio-pinctl map --json --type anon:64K --repeat 20000 >/tmp/int.json 2>/tmp/int.err &
bg=$!
sleep 3
if kill -0 "$bg" 2>/dev/null; then
	vt_pass "interrupt: still mapping after 3 s"
else
	vt_fail "interrupt: still mapping after 3 s" "20000 maps finished in under 3 s: make the run longer"
fi
kill -INT "$bg"
wait "$bg"
vt_eq "interrupt: exit 10" "$?" 10
vt_jq "interrupt: interrupted, fewer mappings than planned, baseline restored" /tmp/int.json \
	'.interrupted and (.regions | length) < .planned and .baseline_restored and .final.vmlck_bytes == 0'
vt_jq "interrupt: everything attempted agreed" /tmp/int.json '[.regions[].agree] | all'
vt_grep "interrupt: the error line says so" /tmp/int.err 'interrupted by SIGINT'

# --- --user --hold: the child holds, as nobody, without capabilities -------------------
vfio-pinctl map --json --user nobody --memlock 4M --type anon:1M --type bar --hold >/tmp/uhold.json 2>/tmp/uhold.err &
bg=$!
cpid=$(wait_hold /tmp/uhold.err)
vt_ne "user hold: the holder is the child, not the parent" "$cpid" "$bg"
vt_eq "user hold: the child runs as uid 65534" "$(awk '/^Uid:/ { print $2 $3 }' /proc/$cpid/status)" 6553465534
vt_eq "user hold: the child has no capabilities" "$(awk '/^CapEff:/ { print $2 }' /proc/$cpid/status)" 0000000000000000
vt_eq "user hold: the child's RLIMIT_MEMLOCK is 4M" "$(awk '/Max locked memory/ { print $4 }' /proc/$cpid/limits)" 4194304
vt_cmp "user hold: the child is charged (VmLck 1M)" "$(vt_vmlck "$cpid")" -eq 1024
vt_cmp "user hold: the parent is not" "$(vt_vmlck "$bg")" -eq 0
vt_run uinsp vfio-pinctl inspect --json "$cpid"
vt_jq "user hold: inspect sees the child's limit and no CAP_IPC_LOCK" /tmp/uinsp.out \
	'.memlock.locked_bytes == 1048576 and .memlock.cap_ipc_lock == false and .memlock.limit_bytes == 4194304'
kill -TERM "$bg"
wait "$bg"
vt_eq "user hold: SIGTERM to the parent ends it: exit 0" "$?" 0
vt_fails "user hold: the child is gone" kill -0 "$cpid"
vt_jq "user hold: held and restored in the child" /tmp/uhold.json \
	'.held and .baseline_restored and .uid == 65534 and .pid != ($p | tonumber)' --arg p "$bg"

vt_cmp "no VmLck left in this shell" "$(vt_vmlck $$)" -eq 0
vt_done
