#!/bin/sh
# vm-kernels: 6.1 6.12
# vm-args: --append vmtest_hugepages=8
# Fault injection: SIGINT/SIGTERM at each stage of a three-region map (after the
# container is open, after the memory and hugepages are allocated, after the first of
# three DMA maps), and the device unbound while a map is held.  After each: exit code
# and message say what happened, VmLck was back at baseline, no hugepage stays taken,
# and the group is free for the next user.
. /vmtest/lib.sh
VT_LOG_LINES=12
EDU=0000:00:03.0
hp_free() { awk '/^HugePages_Free/ {print $2}' /proc/meminfo; }

wait_line() {  # wait_line FILE REGEX -> the pid it names
	_i=0
	while [ $_i -lt 120 ]; do
		_p=$(sed -n "s/.*$2.* pid \([0-9][0-9]*\).*/\1/p" "$1" | head -1)
		[ -n "$_p" ] && { echo "$_p"; return 0; }
		sleep 0.5
		_i=$((_i + 1))
	done
	return 1
}

HP0=$(hp_free)
for stage in after-open after-alloc after-map1; do
	for sig in INT TERM; do
		t="$stage/$sig"
		# The last round's files go first: wait_line would otherwise find the
		# previous holder's "paused" line before this one's shell truncates them.
		rm -f /tmp/f.json /tmp/f.err
		VFIO_PINCTL_PAUSE=$stage vfio-pinctl map --json --type anon:2M --type hugetlb --type anon:1M \
			>/tmp/f.json 2>/tmp/f.err &
		bg=$!
		pid=$(wait_line /tmp/f.err "paused $stage")
		vt_eq "$t: paused in vfio-pinctl itself" "$pid" "$bg"
		case $stage in
		after-open)  want_lck=0; want_hp=$HP0 ;;
		after-alloc) want_lck=0; want_hp=$((HP0 - 1)) ;;
		after-map1)  want_lck=2048; want_hp=$((HP0 - 1)) ;;
		esac
		vt_cmp "$t: VmLck at the stage, from /proc ($want_lck KiB)" "$(vt_vmlck "$pid")" -eq "$want_lck"
		vt_cmp "$t: hugepages taken at the stage" "$(hp_free)" -eq "$want_hp"
		kill -"$sig" "$pid"
		wait "$bg"
		rc=$?
		vt_eq "$t: exit 10 (interrupted)" "$rc" 10
		vt_jq "$t: report says interrupted, baseline restored, VmLck 0" /tmp/f.json \
			'.interrupted and .baseline_restored and .final.vmlck_bytes == 0'
		vt_grep "$t: one message names the interruption" /tmp/f.err 'interrupted'
		vt_cmp "$t: every hugepage back" "$(hp_free)" -eq "$HP0"
		vt_run free vfio-pinctl map --type anon:1M
		vt_eq "$t: the group is free again (a new map works)" "$VT_RC" 0
	done
done

# The device is unbound while a map holds it: the unbind waits for the holder (the
# kernel keeps the device while its fd is open); SIGTERM releases it, the unbind then
# completes, and the holder still restores its baseline.
vfio-pinctl map --json --type anon:2M --type bar --hold >/tmp/u.json 2>/tmp/u.err &
bg=$!
pid=$(wait_line /tmp/u.err "holding")
vt_eq "unbind: holder is holding" "$pid" "$bg"
echo "$EDU" >/sys/bus/pci/devices/$EDU/driver/unbind &
ub=$!
sleep 2
vt_ok "unbind: still waiting while the device fd is held" kill -0 "$ub"
# (sysfs drops the driver link at once; vfio-pci's remove is what waits)
vt_cmp "unbind: the holder's mappings stay meanwhile (VmLck 2M)" "$(vt_vmlck "$pid")" -eq 2048
kill -TERM "$pid"
wait "$bg"
vt_eq "unbind: the holder ends normally on SIGTERM" "$?" 0
vt_jq "unbind: baseline restored" /tmp/u.json '.baseline_restored and .final.vmlck_bytes == 0'
wait "$ub"
vt_eq "unbind: the unbind completed once the fd was closed" "$?" 0
vt_eq "unbind: edu is unbound now" "$(vt_driver_of $EDU)" ""
vt_run nodev vfio-pinctl map --type anon:1M
vt_eq "unbind: a map now says the device is unusable (exit 7)" "$VT_RC" 7
vt_done
