# vm-args: --append vmtest_hugepages=8 --append no_timer_check
# vm-kernels: 6.1 6.12 iommufd
# map under RLIMIT_MEMLOCK: --memlock below, at and one page under the need
# (in this process, without CAP_IPC_LOCK), root's CAP_IPC_LOCK bypass, mlock
# and DMA sharing one budget, a part-way failure, and --user (a child as
# nobody without capabilities, with and without --memlock).
. /vmtest/lib.sh
VT_LOG_LINES=12

M1=1048576
M4=4194304
K4=4096

# refused NAME ERRNO: the kernel refused, the tool had predicted it, nothing stayed charged
refused() {
	vt_eq "$1: exit 8 (the kernel refused a map)" "$VT_RC" 8
	vt_jq "$1: the last mapping failed with $2, as predicted" "/tmp/$1.out" \
		".regions[-1].error.errno == \"$2\" and .regions[-1].predicted.error == \"$2\" and .regions[-1].agree"
	vt_jq "$1: the plan named the failing region before any ioctl" "/tmp/$1.out" \
		".plan.error == \"$2\" and .plan.first_failing_region == .regions[-1].region"
	vt_jq "$1: a refused map charges nothing" "/tmp/$1.out" '.regions[-1].measured_charge_bytes == 0'
	vt_jq "$1: baseline restored" "/tmp/$1.out" '.baseline_restored and .final.vmlck_bytes == .memlock.baseline_bytes'
	vt_grep "$1: the error line names the errno" "/tmp/$1.err" "failed with $2"
}

# --- in this process: --memlock drops CAP_IPC_LOCK and sets the limit ---------------
vt_run below vfio-pinctl map --json --type anon:4M --memlock 2M
refused below ENOMEM
vt_jq "below: no CAP_IPC_LOCK, limit 2M" /tmp/below.out '.memlock.cap_ipc_lock == false and .memlock.limit_bytes == 2097152 and .memlock.limit_set'
vt_jq "below: it says which limit would suffice (4M)" /tmp/below.out ".memlock.need_bytes == $M4"
vt_grep "below: the message gives the limit and the fix" /tmp/below.err 'RLIMIT_MEMLOCK exceeded .*a limit of 4096 KiB would suffice'

need=$(jq -r .memlock.need_bytes /tmp/below.out)
vt_run at vfio-pinctl map --json --type anon:4M --memlock "$need"
vt_eq "at the need ($need): exit 0" "$VT_RC" 0
vt_jq "at the need: charged 4M, as predicted" /tmp/at.out \
	".regions[0].measured_charge_bytes == $M4 and .regions[0].agree and .memlock.cap_ipc_lock == false"

vt_run under vfio-pinctl map --json --type anon:4M --memlock $((need - K4))
refused under ENOMEM

# The text report predicts the failure before the ioctl and shows the answer.
vt_run belowtxt vfio-pinctl map --type anon:4M --memlock 2M
vt_grep "text: prediction printed first" /tmp/belowtxt.out '^prediction: region #1 \(anon, pass 1\) will fail with ENOMEM'
vt_grep "text: the kernel's answer, marked predicted" /tmp/belowtxt.out 'failed with ENOMEM: .*\(predicted\)$'

# --- root keeps CAP_IPC_LOCK: the limit is bypassed, the charge is not -----------------
lim=$(awk '/Max locked memory/ { print $4 }' /proc/self/limits)
vt_diag "root's RLIMIT_MEMLOCK: $lim"
vt_run capbypass vfio-pinctl map --json --type anon:16M
vt_eq "CAP_IPC_LOCK: 16M maps over an ${lim}-byte limit" "$VT_RC" 0
vt_jq "CAP_IPC_LOCK: still charged 16M" /tmp/capbypass.out \
	'.memlock.cap_ipc_lock and .regions[0].measured_charge_bytes == 16777216 and .memlock.limit_bytes < 16777216'

# --- mlock and DMA share one locked_vm budget; an mlocked page is charged twice --------
vt_run mlock1 vfio-pinctl map --json --type mlock:1M --memlock 1M
refused mlock1 ENOMEM
vt_jq "mlock1: VmLck was already 1M (mlock) when the map was refused" /tmp/mlock1.out \
	".regions[0].measured.vmlck_before_bytes == $M1"
vt_run mlock2 vfio-pinctl map --json --type mlock:1M --memlock 2M
vt_eq "mlock2: 2M lets mlock + pin through" "$VT_RC" 0
vt_jq "mlock2: peak VmLck 2M for 1M of memory" /tmp/mlock2.out ".memlock.peak_bytes == 2 * $M1"

# --- failure part-way: the first map is undone, the third never attempted --------------
vt_run partial vfio-pinctl map --json --type anon:1M --type anon:2M --type anon:1M --memlock 2M
refused partial ENOMEM
vt_jq "partial: region 1 mapped (1M), region 2 refused, region 3 not attempted" /tmp/partial.out \
	"(.regions | length) == 2 and .regions[0].measured_charge_bytes == $M1 and .regions[1].region == 2 and .planned == 3"

# --- --user: a child as nobody, without capabilities -----------------------------------
vt_run user vfio-pinctl map --json --user nobody --type anon:1M --type hugetlb --type bar
vt_eq "user: exit 0" "$VT_RC" 0
vt_jq "user: mapped by uid 65534 in another process" /tmp/user.out \
	".user == \"nobody\" and .uid == 65534 and .pid != $$ and .memlock.cap_ipc_lock == false"
vt_jq "user: anon 1M, hugetlb 2M, bar 0, all agree" /tmp/user.out \
	"[.regions[].measured_charge_bytes] == [$M1, 2097152, 0] and ([.regions[].agree] | all)"
vt_jq "user: the parent classified the child's pages (root sees pfns)" /tmp/user.out \
	'([.regions[].classes.unknown_bytes == 0] | all) and .regions[0].classes.anon_bytes == 1048576 and .regions[2].classes.invalid_bytes == 1048576'
vt_jq "user: baseline restored" /tmp/user.out '.baseline_restored'

vt_run userlow vfio-pinctl map --json --user nobody --memlock 512K --type anon:1M
refused userlow ENOMEM
vt_jq "userlow: limit 512K, no CAP_IPC_LOCK, uid 65534" /tmp/userlow.out \
	'.memlock.limit_bytes == 524288 and .memlock.cap_ipc_lock == false and .uid == 65534'
vt_run userat vfio-pinctl map --json --user 65534 --memlock 1M --type anon:1M
vt_eq "userat: a numeric uid at exactly the need: exit 0" "$VT_RC" 0
vt_jq "userat: charged 1M" /tmp/userat.out ".regions[0].measured_charge_bytes == $M1 and .uid == 65534"

vt_run nouser vfio-pinctl map --user no-such-user --type anon:1M
vt_eq "unknown user: exit 2" "$VT_RC" 2

vt_cmp "no VmLck left in this shell" "$(vt_vmlck $$)" -eq 0
vt_done
