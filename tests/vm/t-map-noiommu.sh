# vm-args: --no-iommu --append no_timer_check
# vm-kernels: 6.1 6.12 iommufd
# map on a guest without an IOMMU (no intel-iommu device, no intel_iommu=on):
# vfio-pci cannot take edu, there are no IOMMU groups; map says so, exit 5.
. /vmtest/lib.sh
VT_LOG_LINES=8

EDU=0000:00:03.0
vt_fails "edu has no IOMMU group" vt_group_of $EDU

vt_run auto vfio-pinctl map --json --type anon
vt_eq "no device given: exit 5 (no IOMMU)" "$VT_RC" 5
vt_grep "names the cause and the fix" /tmp/auto.err \
	'no IOMMU: the kernel has no IOMMU groups .*boot with intel_iommu=on'
vt_jq "JSON: exit_code 5, no regions, no group" /tmp/auto.out \
	'.exit_code == 5 and .group == null and (.regions | length) == 0 and (.error.message | test("no IOMMU"))'

vt_run dev vfio-pinctl map --device $EDU --type hugetlb
vt_eq "--device edu: exit 5" "$VT_RC" 5
vt_grep "--device edu: no IOMMU" /tmp/dev.err 'no IOMMU'
vt_done
