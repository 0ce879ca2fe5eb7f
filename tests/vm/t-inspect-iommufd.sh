#!/bin/sh
# vm-kernels: iommufd iommufd-compat
# vm-args: --append vmtest_hugepages=8
# inspect of a process that maps through iommufd: on the compat kernel through
# iommufd's /dev/vfio/vfio, on the other through /dev/iommu and the device cdev.
# The backend is iommufd (not type1), the pins show in VmPin, and per-process
# (per-mm) accounting without CAP_IPC_LOCK counts the same pages in VmLck and
# VmPin: the double charge is flagged.  Root (CAP_IPC_LOCK) and the default
# per-user mode charge VmPin only.
. /vmtest/lib.sh
VT_LOG_LINES=15

wait_hold() {  # wait_hold ERRFILE -> pid of the process holding the mappings
	_i=0
	while [ $_i -lt 120 ]; do
		_p=$(sed -n 's/.*holding .* in pid \([0-9][0-9]*\);.*/\1/p' "$1")
		[ -n "$_p" ] && { echo "$_p"; return 0; }
		sleep 0.5
		_i=$((_i + 1))
	done
	return 1
}

case $(uname -r) in
*-iommufd-compat) native=0; mapargs="--backend type1" ;;  # the compat container (auto prefers the cdev)
*) native=1; mapargs="--backend iommufd" ;;
esac

# --- root: CAP_IPC_LOCK, so iommufd charges VmPin only ---------------------------
vfio-pinctl map $mapargs --type anon:2M --hold >/tmp/h1.out 2>/tmp/h1.err &
bg=$!
pid=$(wait_hold /tmp/h1.err)
vt_ne "root holder is holding" "$pid" ""
vt_run i1 vfio-pinctl inspect --json "$pid"
vt_eq "inspect exits 0" "$VT_RC" 0
if [ $native = 1 ]; then
	vt_jq "backend iommufd through /dev/iommu and the device cdev, no container" /tmp/i1.out \
		'.vfio.backend == "iommufd" and .vfio.iommufds == 1 and .vfio.containers == 0 and .vfio.device_fds == 1'
	vt_jq "the cdev's device is named (sysfs vfio-dev)" /tmp/i1.out \
		'.vfio.groups[0].devices[0].bdf == "0000:00:03.0" and .vfio.groups[0].devices[0].driver == "vfio-pci"'
else
	vt_jq "backend iommufd, served by iommufd's compat container" /tmp/i1.out \
		'.vfio.backend == "iommufd" and .vfio.container_provider == "iommufd"'
fi
vt_jq "VmPin holds the 2M, read from status" /tmp/i1.out ".memlock.pinned_bytes == $(vt_vmpin "$pid") * 1024 and .memlock.pinned_bytes == 2097152"
vt_jq "VmLck untouched with CAP_IPC_LOCK" /tmp/i1.out '.memlock.locked_bytes == 0'
vt_jq "no double charge; VmPin-only accounting named" /tmp/i1.out \
	'.memlock.double_charge == false and .memlock.iommufd_accounting == "per-user-or-cap-ipc-lock"'
vfio-pinctl inspect --summary "$pid" >/tmp/i1.txt
if [ $native = 1 ]; then
	vt_grep "summary: VmPin only, the per-user budget is invisible" /tmp/i1.txt 'per-user mode .* not visible per process'
else
	vt_grep "summary names the compat container" /tmp/i1.txt "backend iommufd \\(iommufd's compat container\\)"
fi
kill -INT "$bg"; wait "$bg"

# --- nobody without capabilities, native per-user (the default): VmPin only -------
if [ $native = 1 ]; then
	vfio-pinctl map $mapargs --type anon:2M --user nobody --memlock 8M --hold >/tmp/h3.out 2>/tmp/h3.err &
	bg=$!
	pid=$(wait_hold /tmp/h3.err)
	vt_run i3 vfio-pinctl inspect --json "$pid"
	vt_jq "per-user: VmPin 2M, VmLck 0 (the charge went to the user's counter)" /tmp/i3.out \
		'.memlock.pinned_bytes == 2097152 and .memlock.locked_bytes == 0'
	vt_jq "per-user: no double charge, accounting inferred" /tmp/i3.out \
		'.memlock.double_charge == false and .memlock.iommufd_accounting == "per-user-or-cap-ipc-lock"'
	kill -INT "$bg"; wait "$bg"
	mapargs="$mapargs --rlimit-mode mm"
fi

# --- nobody without capabilities: per-mm mode charges VmLck and VmPin ------------
vfio-pinctl map $mapargs --type anon:2M --user nobody --memlock 8M --hold >/tmp/h2.out 2>/tmp/h2.err &
bg=$!
pid=$(wait_hold /tmp/h2.err)
vt_ne "nobody's holder is holding" "$pid" ""
vt_run i2 vfio-pinctl inspect --json "$pid"
vt_jq "VmLck 2M and VmPin 2M for the same pages" /tmp/i2.out \
	".memlock.locked_bytes == 2097152 and .memlock.pinned_bytes == 2097152 and .memlock.locked_bytes == $(vt_vmlck "$pid") * 1024"
vt_jq "double charge flagged, per-mm" /tmp/i2.out '.memlock.double_charge and .memlock.iommufd_accounting == "per-mm"'
vt_jq "the limit is the holder's (8M)" /tmp/i2.out '.memlock.limit_bytes == 8388608 and .memlock.cap_ipc_lock == false'
vfio-pinctl inspect --summary "$pid" >/tmp/i2.txt
vt_grep "summary says the same pages count twice" /tmp/i2.txt 'the same pages count in VmLck and VmPin'
kill -INT "$bg"; wait "$bg"
vt_done
