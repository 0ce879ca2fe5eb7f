#!/bin/sh
# vm-kernels: iommufd iommufd-compat
# vm-args: --file build/iommufd-probe --append no_timer_check
#
# The iommufd backend (src/backend-iommufd.c) and the type1 ops on whatever
# /dev/vfio/vfio is, driven by tests/vm/iommufd-probe.c on our own kernels:
# what each mode charges to VmLck and VmPin per memory type, as root with
# CAP_IPC_LOCK and as uid 65534 under RLIMIT_MEMLOCK 1 MiB, the per-user
# budget across two processes, and IOMMU_OPTION_RLIMIT_MODE's errors.
# The expectations are the measured table of the design notes (vm-test-recipe.md,
# "iommufd: a small kernel of our own"); build/iommufd-probe comes from
# tests/vm/probe.mk.
. /vmtest/lib.sh

bdf=${vfio_bind%%,*}
case $(uname -r) in
*-iommufd-compat) variant=compat ;;
*-iommufd) variant=type1 ;;
*) vt_bail "not one of build-kernel.sh's kernels: $(uname -r)" ;;
esac
vt_diag "kernel $(uname -r); device $bdf; /dev/vfio/vfio is $variant's"

# ---- the guest build-kernel.sh made ---------------------------------------------
vt_eq "$bdf is bound to vfio-pci (built-in driver, driver_override)" "$(vt_driver_of "$bdf")" vfio-pci
vt_ok "/dev/iommu exists (CONFIG_IOMMUFD)" test -c /dev/iommu
vt_ok "$bdf has a device cdev in sysfs (CONFIG_VFIO_DEVICE_CDEV)" test -d "/sys/bus/pci/devices/$bdf/vfio-dev/vfio0"
vt_ok "/dev/vfio/devices/vfio0 exists" test -c /dev/vfio/devices/vfio0
vt_ok "/dev/vfio/vfio exists" test -c /dev/vfio/vfio
vt_ok "/dev/vfio/$(vt_group_of "$bdf") exists (VFIO_GROUP)" test -c "/dev/vfio/$(vt_group_of "$bdf")"
vt_ok "no module support: nothing to load" test ! -e /proc/modules
if [ "$variant" = compat ]; then
	vt_ok "the kernel says iommufd provides /dev/vfio/vfio" sh -c 'zcat /proc/config.gz | grep -qx CONFIG_IOMMUFD_VFIO_CONTAINER=y'
else
	vt_ok "type1 is built in" sh -c 'zcat /proc/config.gz | grep -qx CONFIG_VFIO_IOMMU_TYPE1=y'
fi

# The backend's EPERM message needs uid 65534 to get as far as the option.
chmod 666 /dev/iommu
vt_run probe iommufd-probe "$bdf"
vt_eq "the probe ran every case" "$VT_RC" 0

# ---- maps: mode case who result dVmLck dVmPin --------------------------------------
expect() {
	cat <<-'EOF'
		user   anon4M        root+cap ok      0    4096
		user   anon4M-2nd    root+cap ok      0    4096
		user   zero1M-ro     root+cap ok      0    1024
		user   huge4M        root+cap ok      0    4096
		user   bar0          root+cap EFAULT  0    0
		user   after-unmap   root+cap ok      0    0
		user   anon4M>lim    65534    ENOMEM  0    0
		user   anon1M=lim    65534    ok      0    1024
		user   2nd-proc512K  65534    ENOMEM  0    0
		mm     anon4M        root+cap ok      0    4096
		mm     anon4M-2nd    root+cap ok      0    4096
		mm     zero1M-ro     root+cap ok      0    1024
		mm     huge4M        root+cap ok      0    4096
		mm     bar0          root+cap EFAULT  0    0
		mm     after-unmap   root+cap ok      0    0
		mm     anon4M>lim    65534    ENOMEM  0    0
		mm     anon1M=lim    65534    ok      1024 1024
		mm     2nd-proc512K  65534    ok      512  512
	EOF
	if [ "$variant" = compat ]; then
		cat <<-'EOF'
			compat anon4M        root+cap ok      0    4096
			compat anon4M-2nd    root+cap ok      0    4096
			compat zero1M-ro     root+cap ok      0    1024
			compat huge4M        root+cap ok      0    4096
			compat bar0          root+cap EFAULT  0    0
			compat after-unmap   root+cap ok      0    0
			compat anon4M>lim    65534    ENOMEM  0    0
			compat anon1M=lim    65534    ok      1024 1024
			compat 2nd-proc512K  65534    ok      512  512
		EOF
	else
		cat <<-'EOF'
			type1  anon4M        root+cap ok      4096 0
			type1  anon4M-2nd    root+cap ok      4096 0
			type1  zero1M-ro     root+cap ok      1024 0
			type1  huge4M        root+cap ok      4096 0
			type1  bar0          root+cap ok      0    0
			type1  after-unmap   root+cap ok      0    0
			type1  anon4M>lim    65534    ENOMEM  0    0
			type1  anon1M=lim    65534    ok      1024 0
			type1  2nd-proc512K  65534    ok      512  0
		EOF
	fi
}
expect >/tmp/expect
while read -r mode what who res lck pin; do
	got=$(awk -v m="$mode" -v c="$what" -v w="$who" \
		'$1 == "ROW" && $2 == m && $3 == c && $4 == w { print $5, $6, $7; exit }' /tmp/probe.out)
	vt_eq "$mode $what as $who: map $res, dVmLck $lck KiB, dVmPin $pin KiB" "$got" "$res $lck $pin"
done </tmp/expect
vt_eq "the probe measured nothing else" \
	"$(grep -c '^ROW ' /tmp/probe.out)" "$(wc -l </tmp/expect | tr -d ' ')"

# ---- modes and IOMMU_OPTION_RLIMIT_MODE -------------------------------------------
vt_grep "native per-user opens in per-user mode" /tmp/probe.out '^OPEN user ok rlimit_mode=1 '
vt_grep "native per-mm opens in per-mm mode" /tmp/probe.out '^OPEN mm ok rlimit_mode=2 '
opt() { awk -v w="$1" '$1 == "OPT" && $2 == w { print $3, $4; exit }' /tmp/probe.out; }
if [ "$variant" = compat ]; then
	vt_eq "the compat container is an iommufd: GET rlimit mode answers 1 (per-mm)" "$(opt container-get)" "ok 1"
	vt_grep "its page sizes are every multiple of 4K" /tmp/probe.out '^OPEN compat ok .* pgsizes=0xfffffffffffff000 '
else
	vt_ne "type1's container refuses IOMMU_OPTION" "$(opt container-get | cut -d' ' -f1)" ok
	vt_grep "type1 reports 4K|2M|1G" /tmp/probe.out '^OPEN type1 ok .* pgsizes=0x40201000 '
fi
vt_eq "a fresh /dev/iommu is per-user (GET 0)" "$(opt get-default)" "ok 0"
vt_eq "rlimit mode 2 is EINVAL" "$(opt set-2 | cut -d' ' -f1)" EINVAL
vt_eq "root sets per-mm before the IOAS" "$(opt set-mm-before-ioas | cut -d' ' -f1)" ok
vt_eq "GET then answers 1" "$(opt get-after-set-mm)" "ok 1"
vt_eq "after IOMMU_IOAS_ALLOC: EBUSY" "$(opt set-user-after-ioas | cut -d' ' -f1)" EBUSY
vt_eq "uid 65534 (no CAP_SYS_RESOURCE): EPERM" "$(opt set-mm-as-65534 | cut -d' ' -f1)" EPERM
vt_grep "the backend says CAP_SYS_RESOURCE" /tmp/probe.out '^MSG backend-open-mm-as-65534 EPERM .*CAP_SYS_RESOURCE'
vt_done
