#!/bin/sh
# smoke.sh — guest script proving the harness itself works.
#
#   run-guest.sh --kernel 6.1 --script tests/vm/smoke.sh
#   run-guest.sh --kernel 6.1 --script tests/vm/smoke.sh --no-iommu --append vmtest_expect=noiommu
#
# With vmtest_expect=noiommu it checks the opposite of the IOMMU facts: the
# guest has no IOMMU, so edu has no group, vfio-pci refuses it and no
# /dev/vfio/N exists. (Said explicitly rather than detected, so a guest
# that lost its IOMMU by accident fails instead of passing the other way.)
# vm-kernels: 6.1 6.12
. /vmtest/lib.sh

EDU=0000:00:03.0 # where q35 puts the first -device edu (after e1000e at 00:02.0)

vt_diag "kernel $(uname -r), cmdline: $(cat /proc/cmdline)"
vt_ok "vfio modules loaded" test -d /sys/module/vfio_pci -a -d /sys/module/vfio_iommu_type1
vt_ok "/dev/vfio/vfio is a char device" test -c /dev/vfio/vfio
vt_eq "edu device at $EDU" "$(vt_find_pci 1234 11e8)" "$EDU"

if [ "${vmtest_expect:-}" = noiommu ]; then
	vt_fails "no IOMMU (no /sys/class/iommu entry)" sh -c 'ls /sys/class/iommu | grep -q .'
	vt_fails "edu has no IOMMU group" vt_group_of "$EDU"
	vt_fails "vfio-pci refuses edu without an IOMMU" vt_bind_vfio "$EDU"
	vt_eq "no /dev/vfio/N group node" "$(ls /dev/vfio | grep -v '^vfio$')" ""
else
	vt_ok "IOMMU present (dmar0)" test -e /sys/class/iommu/dmar0
	vt_eq "edu bound to vfio-pci" "$(vt_driver_of "$EDU")" vfio-pci
	group=$(vt_group_of "$EDU")
	vt_ne "edu has an IOMMU group" "$group" ""
	vt_ok "/dev/vfio/$group exists" test -c "/dev/vfio/$group"
	vt_eq "edu is alone in group $group" "$(ls "/sys/kernel/iommu_groups/$group/devices")" "$EDU"
fi

vt_eq "/proc/kpageflags is readable" "$(head -c 8 /proc/kpageflags | wc -c)" 8
vt_eq "/proc/self/pagemap is readable" "$(head -c 8 /proc/self/pagemap | wc -c)" 8

total=$(awk '/^HugePages_Total:/ { print $2 }' /proc/meminfo)
vt_eq "vm.nr_hugepages as asked ($vmtest_hugepages)" "$total" "$vmtest_hugepages"
vt_ok "hugetlbfs mounted at /dev/hugepages" grep -q ' /dev/hugepages hugetlbfs ' /proc/mounts
if [ -d /sys/kernel/mm/hugepages/hugepages-1048576kB ]; then
	vt_ok "1G hugetlbfs mounted at /dev/hugepages-1G" grep -q ' /dev/hugepages-1G hugetlbfs .*pagesize=1024M' /proc/mounts
else
	vt_skip "1G hugetlbfs mount" "no 1G pages on this CPU"
fi

vt_eq "nobody is uid 65534" "$(id -u nobody)" 65534
vt_cmp "VmLck of this shell reads as a number" "$(vt_vmlck $$)" -ge 0
vt_cmp "VmPin of this shell reads as a number" "$(vt_vmpin $$)" -ge 0

echo '{"kernel": "'"$(uname -r)"'", "n": 1}' >/tmp/smoke.json
vt_jq "jq runs and sees JSON" /tmp/smoke.json '.n == 1 and (.kernel | length > 0)'

vt_run version vfio-pinctl --version
vt_eq "vfio-pinctl --version exits 0" "$VT_RC" 0

vt_done
