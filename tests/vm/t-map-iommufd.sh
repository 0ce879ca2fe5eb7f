#!/bin/sh
# vm-kernels: iommufd iommufd-compat
# vm-args: --device edu,addr=5 --bind 0000:00:03.0,0000:00:05.0 --append vmtest_hugepages=8 --append no_timer_check --timeout 240
#
# map through every backend mode our own 6.12 kernels offer, every cell of the
# backend x memory type table asserted through `vfio-pinctl map --json`: the
# kernel's answer and the VmLck and VmPin deltas it made, and the prediction
# of each, for
#   user    native iommufd (/dev/iommu + cdev), per-user accounting (the default)
#   mm      native iommufd, --rlimit-mode mm
#   compat  --backend type1 on iommufd-compat, whose /dev/vfio/vfio is iommufd's
#   type1   --backend type1 on the type1+iommufd kernel (the reference)
# as root (CAP_IPC_LOCK) and as nobody under --memlock 1M, and the per-user
# budget across two processes of one uid (a second edu at 00:05.0 gives the
# second map its own device: a cdev binds once, a group opens once).  Every
# cell is also printed as a "# table:" line.  --rlimit-mode's EPERM as an
# unprivileged caller is here; its EBUSY needs an IOAS first, which map never
# has before the option: tests/vm/t-iommufd-backend.sh provokes it.
. /vmtest/lib.sh
VT_LOG_LINES=10

EDU=0000:00:03.0
EDU2=0000:00:05.0
case $(uname -r) in
*-iommufd-compat) variant=compat ;;
*-iommufd) variant=type1 ;;
*) vt_bail "not one of build-kernel.sh's kernels: $(uname -r)" ;;
esac
vt_diag "kernel $(uname -r); /dev/vfio/vfio is $variant's"
vt_eq "edu bound to vfio-pci" "$(vt_driver_of $EDU)" vfio-pci
vt_eq "the second edu bound to vfio-pci" "$(vt_driver_of $EDU2)" vfio-pci
vt_ne "they are in different IOMMU groups" "$(vt_group_of $EDU)" "$(vt_group_of $EDU2)"

# The map arguments of each mode.
args() {
	case $1 in
	user) echo "--backend iommufd" ;;
	mm) echo "--backend iommufd --rlimit-mode mm" ;;
	compat | type1) echo "--backend type1" ;;
	esac
}

# cell NAME MODE CASE IDX ERR LCK PIN: region IDX of /tmp/NAME.out was answered ERR
# ("ok" or an errno) with VmLck/VmPin deltas LCK/PIN KiB, predicted so, and agrees.
cell() {
	vt_jq "$2 $3: kernel $5, dVmLck $6 KiB, dVmPin $7 KiB, as predicted" "/tmp/$1.out" \
		".regions[$4] | (.error.errno // \"ok\") == \$e and (.predicted.error // \"ok\") == \$e
		 and .measured.vmlck_bytes == $6 * 1024 and .measured.vmpin_bytes == $7 * 1024
		 and .predicted.vmlck_bytes == $6 * 1024 and .predicted.vmpin_bytes == $7 * 1024
		 and .agree" --arg e "$5"
	row "$1" "$2" "$3" "$4"
}

# row NAME MODE CASE IDX: the "# table:" line (predicted | measured)
row() {
	jq -r --arg m "$2" --arg c "$3" '.regions['"$4"'] |
	  def v(e; l; p): (e // "ok") + " " + ((l / 1024) | tostring) + " " + ((p / 1024) | tostring);
	  "# table: \($m) \($c): predicted \(v(.predicted.error; .predicted.vmlck_bytes; .predicted.vmpin_bytes))"
	  + (if .predicted.possible_error then " (\(.predicted.possible_error) possible)" else "" end)
	  + " | measured \(v(.error.errno; .measured.vmlck_bytes; .measured.vmpin_bytes))"
	  + " | agree \(.agree)"' "/tmp/$1.out"
}

# ident NAME MODE: the report names the backend mode, its counter, and restored everything
ident() {
	case $2 in
	user) want='.backend == "iommufd" and .charge_rule == "iommufd-user" and .rlimit_mode == "user" and .counter == "VmPin"' ;;
	mm) want='.backend == "iommufd" and .charge_rule == "iommufd-mm" and .rlimit_mode == "mm" and .counter == "VmPin"' ;;
	compat) want='.backend == "iommufd-compat" and .charge_rule == "iommufd-compat" and .rlimit_mode == "mm" and .counter == "VmPin" and (.backend_reason | test("compat container"))' ;;
	type1) want='.backend == "type1" and .charge_rule == "type1" and .rlimit_mode == null and .counter == "VmLck"' ;;
	esac
	vt_jq "$2 $1: backend, rule and counter named; baseline restored" "/tmp/$1.out" \
		"$want and .baseline_restored and .final.vmlck_bytes == .memlock.baseline_bytes and .final.vmpin_bytes == .memlock.baseline_pin_bytes"
	vt_jq "$2 $1: measured_charge_bytes is the backend's counter" "/tmp/$1.out" \
		'[.regions[] | .measured_charge_bytes == (if .measured and ($c == "VmPin") then .measured.vmpin_bytes else .measured.vmlck_bytes end)] | all' \
		--arg c "$(jq -r .counter "/tmp/$1.out")"
}

if [ "$variant" = compat ]; then modes="user mm compat"; else modes="user mm type1"; fi

for m in $modes; do
	a=$(args $m)
	if [ $m = type1 ]; then
		A4=4096 P4=0 A1=1024 P1=0 BAR=ok L65=1024 P65=0 L2=512 P2=0 ERR2=ok
	else
		A4=0 P4=4096 A1=0 P1=1024 BAR=EFAULT L65=0 P65=1024 L2=512 P2=512 ERR2=ok
		[ $m = mm ] || [ $m = compat ] && L65=1024
		[ $m = user ] && L2=0 P2=0 ERR2=ENOMEM
	fi

	# ---- root, CAP_IPC_LOCK ----------------------------------------------------
	# the same 4M buffer at two IOVAs: charged again
	vt_run $m-anon vfio-pinctl map --json $a --device $EDU --type anon:4M --repeat 2
	vt_eq "$m anon x2: exit 0" "$VT_RC" 0
	ident $m-anon $m
	cell $m-anon $m "anon 4M root" 0 ok $A4 $P4
	cell $m-anon $m "same buffer, 2nd IOVA" 1 ok $A4 $P4
	vt_jq "$m anon x2: the same buffer twice" /tmp/$m-anon.out '.regions[0].vaddr == .regions[1].vaddr and .regions[0].iova != .regions[1].iova'

	vt_run $m-zero vfio-pinctl map --json $a --device $EDU --type zero:1M
	vt_eq "$m zero: exit 0" "$VT_RC" 0
	cell $m-zero $m "zero page 1M READ-only" 0 ok $A1 $P1
	vt_jq "$m zero: the R/O pin unshared the zero page into anon" /tmp/$m-zero.out \
		'.regions[0].classes_before.zero_bytes == 1048576 and .regions[0].classes.anon_bytes == 1048576'

	vt_run $m-huge vfio-pinctl map --json $a --device $EDU --type hugetlb:4M
	vt_eq "$m hugetlb: exit 0" "$VT_RC" 0
	cell $m-huge $m "hugetlb 4M" 0 ok $A4 $P4
	vt_jq "$m hugetlb: huge pages back in the pool" /tmp/$m-huge.out '.final.hugepages_after == .final.hugepages_before'

	vt_run $m-bar vfio-pinctl map --json $a --device $EDU --type bar0
	cell $m-bar $m "BAR0 mmap" 0 $BAR 0 0
	if [ $BAR = EFAULT ]; then
		vt_eq "$m BAR: exit 8 (the kernel refused, as predicted)" "$VT_RC" 8
		vt_grep "$m BAR: says why and that type1 would map it" /tmp/$m-bar.err \
			'failed with EFAULT: iommufd pins user memory with GUP and cannot map a VM_PFNMAP BAR \(type1 maps it, uncharged\)'
		vt_jq "$m BAR: the plan said so before the ioctl" /tmp/$m-bar.out '.plan.error == "EFAULT"'
	else
		vt_eq "$m BAR: exit 0" "$VT_RC" 0
	fi
	ident $m-bar $m

	# every other type in one call: thp, a shared file, mlocked anon
	vt_run $m-more vfio-pinctl map --json $a --device $EDU --type thp:4M --type file:4M --type mlock:1M
	vt_eq "$m thp+file+mlock: exit 0" "$VT_RC" 0
	cell $m-more $m "thp 4M" 0 ok $A4 $P4
	cell $m-more $m "file 4M (tmpfs)" 1 ok $A4 $P4
	cell $m-more $m "mlock 1M (pinned again)" 2 ok $A1 $P1
	ident $m-more $m

	# the MSI window is reserved in every mode (iommufd's compat GET_INFO claims the
	# whole 64-bit space: the usable ranges come from its IOAS)
	vt_run $m-msi vfio-pinctl map --json $a --device $EDU --type anon:1M@0xfee00000
	vt_eq "$m MSI window: exit 8" "$VT_RC" 8
	cell $m-msi $m "anon 1M at the MSI window" 0 EINVAL 0 0
	vt_jq "$m: the usable IOVA ranges leave the MSI window out" /tmp/$m-msi.out \
		'.iommu.iova_ranges | any(.end == "0xfedfffff") and any(.start == "0xfef00000")'
	vt_grep "$m MSI window: names the reserved window" /tmp/$m-msi.err 'is outside the (container|IOAS).s usable IOVA ranges .*the MSI window 0xfee00000-0xfeefffff is reserved'

	# ---- nobody, no capabilities, RLIMIT_MEMLOCK 1M ----------------------------------
	vt_run $m-over vfio-pinctl map --json $a --device $EDU --user nobody --memlock 1M --type anon:4M
	vt_eq "$m nobody 4M > 1M: exit 8" "$VT_RC" 8
	cell $m-over $m "nobody 4M, limit 1M" 0 ENOMEM 0 0
	vt_jq "$m nobody 4M: no CAP_IPC_LOCK, the limit is enforced" /tmp/$m-over.out \
		'.user == "nobody" and .memlock.cap_ipc_lock == false and .memlock.limit_enforced and .plan.error == "ENOMEM"'
	ident $m-over $m

	# root, in this process, CAP_IPC_LOCK dropped by --memlock: charged as nobody is
	vt_run $m-self vfio-pinctl map --json $a --device $EDU --memlock 1M --type anon:1M --type anon:4K
	vt_eq "$m root --memlock 1M, 1M then 4K: exit 8" "$VT_RC" 8
	cell $m-self $m "root without CAP_IPC_LOCK, 1M at a 1M limit" 0 ok $L65 $P1
	cell $m-self $m "then 4K more" 1 ENOMEM 0 0
	vt_jq "$m root --memlock: no CAP_IPC_LOCK in this process" /tmp/$m-self.out '.user == "root" and .memlock.cap_ipc_lock == false'
	ident $m-self $m

	vt_run $m-at vfio-pinctl map --json $a --device $EDU --user nobody --memlock 1M --type anon:1M
	vt_eq "$m nobody 1M = limit: exit 0" "$VT_RC" 0
	cell $m-at $m "nobody 1M, limit 1M" 0 ok $L65 $P1
	ident $m-at $m

	# two processes of one uid: the first holds 1M, the second asks 512K
	vfio-pinctl map $a --device $EDU --user nobody --memlock 1M --type anon:1M --hold \
		>/tmp/$m-hold.out 2>/tmp/$m-hold.err &
	bg=$!
	i=0
	while ! grep -q holding /tmp/$m-hold.err && [ $i -lt 120 ]; do sleep 0.5; i=$((i + 1)); done
	vt_grep "$m: the first nobody process holds 1M" /tmp/$m-hold.err 'holding 1 mapping'
	vt_run $m-second vfio-pinctl map --json $a --device $EDU2 --user nobody --memlock 1M --type anon:512K
	if [ $ERR2 = ENOMEM ]; then
		# Not predictable from this process: it charged nothing yet.  Predicted as
		# possible (other processes of the uid), verified here.
		vt_jq "$m 2nd nobody process 512K, 1st holds 1M: kernel ENOMEM, dVmLck 0 KiB, dVmPin 0 KiB; predicted ok 0/512 KiB with ENOMEM possible" \
			/tmp/$m-second.out '.regions[0] | .error.errno == "ENOMEM" and .measured.vmlck_bytes == 0 and .measured.vmpin_bytes == 0
			 and .predicted.error == null and .predicted.vmpin_bytes == 524288 and .predicted.vmlck_bytes == 0
			 and .predicted.user_bytes == 524288 and .predicted.possible_error == "ENOMEM"
			 and .predicted.user_headroom_bytes == 524288 and .refused_by_shared_budget and .agree'
		row $m-second $m "2nd nobody process 512K, 1st holds 1M" 0
		vt_eq "$m 2nd process: exit 8" "$VT_RC" 8
		vt_grep "$m 2nd process: the message puts it down to the uid's other processes" /tmp/$m-second.err \
			"other processes of uid 65534 hold at least 516 KiB of the budget .*--rlimit-mode mm"
		vt_jq "$m 2nd process: the budget is per user and not observable" /tmp/$m-second.out \
			'.memlock.limit_counter == "user" and .memlock.limit_counter_observable == false
			 and (.notes[0] | test("summed over all its processes, which no /proc file shows; verified here: VmPin"))'
	else
		cell $m-second $m "2nd nobody process 512K, 1st holds 1M" 0 $ERR2 $L2 $P2
		vt_eq "$m 2nd process: exit 0 (the budget is per process)" "$VT_RC" 0
		vt_jq "$m 2nd process: VmLck is this process's own" /tmp/$m-second.out \
			'.memlock.limit_counter == "VmLck" and .memlock.limit_counter_observable and .regions[0].refused_by_shared_budget == false'
	fi
	ident $m-second $m
	kill -INT $bg
	wait $bg
	vt_eq "$m: the holder exits 0 once signalled" "$?" 0
done

# ---- what auto picks, and why ----------------------------------------------------
vt_run auto vfio-pinctl map --json --device $EDU --type anon:1M
vt_eq "auto: exit 0" "$VT_RC" 0
if [ "$variant" = compat ]; then
	vt_jq "auto on iommufd-compat: native iommufd, because there is no type1 container" /tmp/auto.out \
		'.backend == "iommufd" and .backend_requested == "auto" and (.backend_reason | test("^auto: no type1 container \\(/dev/vfio/vfio is iommufd.s compat container\\); /dev/iommu and 0000:00:03.0.s cdev vfio[0-9]+ are there"))'
else
	vt_jq "auto on type1+iommufd: the type1 container" /tmp/auto.out \
		'.backend == "type1" and .backend_requested == "auto" and .backend_reason == "auto: vfio_iommu_type1 serves /dev/vfio/vfio"'
fi
vt_run autotext vfio-pinctl map --device $EDU --type anon:1M
vt_grep "auto: the text report says the choice" /tmp/autotext.out '^backend:  auto: '
vt_run automm vfio-pinctl map --json --device $EDU --rlimit-mode mm --type anon:1M
vt_jq "auto with --rlimit-mode: native iommufd, per-mm" /tmp/automm.out \
	'.backend == "iommufd" and .rlimit_mode == "mm" and (.backend_reason | test("--rlimit-mode"))'
vt_run rluser vfio-pinctl map --json --backend iommufd --rlimit-mode user --device $EDU --type anon:1M
vt_jq "--rlimit-mode user as root: set and in effect" /tmp/rluser.out '.rlimit_mode == "user" and .exit_code == 0'

# ---- busy: a cdev binds once, and a group is either its cdevs' or /dev/vfio/N's ------
G=$(vt_group_of $EDU)
hold() { # hold BACKEND: a map holding 1M of $EDU, its pid in $bg
	rm -f /tmp/busy.out /tmp/busy.err  # else the last holder's "holding" line answers
	vfio-pinctl map --backend $1 --device $EDU --type anon:1M --hold >/tmp/busy.out 2>/tmp/busy.err &
	bg=$!
	i=0
	while ! grep -q holding /tmp/busy.err && [ $i -lt 120 ]; do sleep 0.5; i=$((i + 1)); done
}
hold iommufd
vt_run busy-cdev vfio-pinctl map --json --backend iommufd --device $EDU --type anon:1M
vt_eq "cdev bound elsewhere: exit 7" "$VT_RC" 7
vt_grep "cdev bound elsewhere: names who holds it" /tmp/busy-cdev.err \
	"$EDU is busy: pid $bg \(vfio-pinctl\) holds /dev/vfio/devices/vfio0 open, bound to an iommufd"
vt_run busy-group vfio-pinctl map --json --backend type1 --device $EDU --type anon:1M
vt_eq "group claimed through a cdev, type1 asks: exit 7" "$VT_RC" 7
vt_grep "type1 asks: names the cdev holder" /tmp/busy-group.err \
	"IOMMU group $G is busy: pid $bg \(vfio-pinctl\) holds /dev/vfio/devices/vfio0 open"
vt_run busy-probe vfio-pinctl check --probe --json --backend iommufd --device $EDU
vt_jq "check --probe skips a device a VMM holds" /tmp/busy-probe.out \
	'.checks[] | select(.id == "probe") | .status == "SKIP" and (.finding | test("is busy"))'
kill -INT $bg
wait $bg
hold type1
vt_run busy-legacy vfio-pinctl map --json --backend iommufd --device $EDU --type anon:1M
vt_eq "group open through /dev/vfio, iommufd asks: exit 7" "$VT_RC" 7
vt_grep "iommufd asks: names the group holder" /tmp/busy-legacy.err \
	"$EDU is busy: pid $bg \(vfio-pinctl\) holds /dev/vfio/$G open"
kill -INT $bg
wait $bg

# ---- an overlapping IOVA: EEXIST, predicted ----------------------------------------------
vt_run overlap vfio-pinctl map --json --backend iommufd --device $EDU --type anon:1M@0x200000 --type anon:1M@0x200000
vt_eq "overlap: exit 8" "$VT_RC" 8
cell overlap user "2nd map at the same IOVA" 1 EEXIST 0 0
vt_grep "overlap: names the mapping in the way" /tmp/overlap.err 'IOAS_MAP of region #2 .* failed with EEXIST: .* overlaps the mapping of region #1 at 0x200000'

# ---- IOMMU_OPTION_RLIMIT_MODE as an unprivileged caller: EPERM ---------------------
chmod 666 /dev/iommu /dev/vfio/devices/vfio*
su -s /bin/sh nobody -c "vfio-pinctl map --json --backend iommufd --rlimit-mode mm --device $EDU --type anon:1M" \
	>/tmp/eperm.out 2>/tmp/eperm.err
vt_eq "--rlimit-mode mm run as nobody: exit 4 (permission)" "$?" 4
vt_grep "EPERM: the message names CAP_SYS_RESOURCE" /tmp/eperm.err \
	"setting iommufd's rlimit mode to per-mm needs CAP_SYS_RESOURCE"
vt_jq "EPERM: JSON says so, nothing mapped" /tmp/eperm.out \
	'.exit_code == 4 and (.regions | length) == 0 and (.error.message | test("CAP_SYS_RESOURCE"))'
chmod 600 /dev/iommu /dev/vfio/devices/vfio*

vt_cmp "no VmLck left in this shell" "$(vt_vmlck $$)" -eq 0
vt_cmp "no VmPin left in this shell" "$(vt_vmpin $$)" -eq 0
vt_done
