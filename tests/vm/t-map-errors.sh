# vm-args: --append vmtest_hugepages=8 --append no_timer_check
# vm-kernels: 6.1 6.12 iommufd
# Errors the kernel answers (EFAULT, EINVAL, EEXIST, ENOSPC from a lowered
# dma_entry_limit), each predicted before the ioctl; errors map finds before
# the kernel (device not bound, no such device, no such BAR, not enough huge
# pages, bad usage, no iommufd on Debian's kernels).  Each names its cause
# and fix, exits with its documented code and leaves nothing behind.
. /vmtest/lib.sh
VT_LOG_LINES=8

EDU=0000:00:03.0
LIMIT=/sys/module/vfio_iommu_type1/parameters/dma_entry_limit

# kernel NAME ERRNO ERE: the kernel refused with ERRNO, predicted, released; stderr matches ERE
kernel() {
	vt_eq "$1: exit 8" "$VT_RC" 8
	vt_jq "$1: the kernel answered $2, as predicted" "/tmp/$1.out" \
		".regions[-1].error.errno == \"$2\" and .regions[-1].predicted.error == \"$2\" and .regions[-1].agree and .plan.error == \"$2\""
	vt_jq "$1: nothing charged, baseline restored" "/tmp/$1.out" \
		'.regions[-1].measured_charge_bytes == 0 and .baseline_restored and .final.hugepages_after == .final.hugepages_before'
	vt_grep "$1: the message names cause and fix" "/tmp/$1.err" "$3"
}

# setup NAME CODE ERE: map stopped before any ioctl with CODE; stderr matches ERE
setup() {
	vt_eq "$1: exit $2" "$VT_RC" "$2"
	vt_grep "$1: the message names cause and fix" "/tmp/$1.err" "$3"
}

vt_run efault vfio-pinctl map --json --type zero:1M:rw
kernel efault EFAULT 'failed with EFAULT: the kernel cannot pin read-only memory for device writes; map it READ-only'

vt_run msi vfio-pinctl map --json --type anon:1M@0xfee00000
kernel msi EINVAL 'failed with EINVAL: IOVA 0xfee00000-0xfeefffff is outside the container.s usable IOVA ranges .*MSI window'
vt_run unaligned vfio-pinctl map --json --type anon:1M@0x100800
kernel unaligned EINVAL 'failed with EINVAL: .*4K-aligned'

vt_run eexist vfio-pinctl map --json --type anon:1M@0x1000000 --type anon:1M@0x1000000
kernel eexist EEXIST 'failed with EEXIST: IOVA 0x1000000-0x10fffff overlaps the mapping of region #1'
vt_jq "eexist: region 1 had been mapped and was released" /tmp/eexist.out \
	'(.regions | length) == 2 and .regions[0].measured_charge_bytes == 1048576 and .final.vmlck_bytes == 0'

old=$(cat $LIMIT)
echo 2 >$LIMIT
vt_run enospc vfio-pinctl map --json --type anon:64K --repeat 3
echo "$old" >$LIMIT
kernel enospc ENOSPC 'failed with ENOSPC: .*dma_entry_limit.*echo 65535 > /sys/module/vfio_iommu_type1/parameters/dma_entry_limit'
vt_jq "enospc: GET_INFO reported a budget of 2; two maps went through" /tmp/enospc.out \
	'.iommu.dma_avail == 2 and ([.regions[].error == null] == [true, true, false])'
vt_eq "dma_entry_limit restored" "$(cat $LIMIT)" "$old"

# A failure part-way through a mix of types: the hugetlb page goes back too.
vt_run partial vfio-pinctl map --json --type anon:1M --type hugetlb --type bar --type zero:1M:rw
kernel partial EFAULT 'failed with EFAULT'
vt_jq "partial: three mapped then released, 2M huge page free again" /tmp/partial.out \
	'(.regions | length) == 4 and .final.hugepages_after.free_2m == .final.hugepages_before.free_2m'

# --- before the kernel --------------------------------------------------------------
vt_run hugemany vfio-pinctl map --json --type hugetlb:64M
setup hugemany 9 'no hugepages reserved: need 32 free 2M huge page.s., have 8 .vm.nr_hugepages=8.*sysctl vm.nr_hugepages=32'
vt_jq "hugemany: JSON says why, nothing held" /tmp/hugemany.out '.exit_code == 9 and .baseline_restored and (.regions | length) == 0'

vt_run unbound vfio-pinctl map --json --device 0000:00:02.0 --type anon:1M
setup unbound 7 '0000:00:02.0 .* is not bound to vfio-pci \(no driver\); bind it: echo vfio-pci > /sys/bus/pci/devices/0000:00:02.0/driver_override'
vt_run nodev vfio-pinctl map --device 0000:00:09.0 --type anon:1M
setup nodev 7 'no PCI device 0000:00:09.0'
vt_run short vfio-pinctl map --json --device 00:03.0 --type anon:64K
vt_eq "short BDF form 00:03.0 is accepted" "$VT_RC" 0
vt_run nobar vfio-pinctl map --type bar5
setup nobar 2 'the device has no BAR 5'
vt_run bigbar vfio-pinctl map --type bar0:2M
setup bigbar 2 'bar0 is 1024 KiB, smaller than the 2048 KiB asked'
vt_run badtype vfio-pinctl map --type anon:3X
setup badtype 2 "bad --type 'anon:3X'"
vt_run badsize vfio-pinctl map --type hugetlb:3M
setup badsize 2 'must be a multiple of 2048 KiB'
vt_run notype vfio-pinctl map
setup notype 2 'nothing to map'
# Debian's kernels have no CONFIG_IOMMUFD; on ours tests/vm/t-map-iommufd.sh says what it does.
vt_run iommufd vfio-pinctl map --json --backend iommufd --type anon
if [ -e /dev/iommu ]; then
	vt_eq "iommufd: this kernel has it: exit 0" "$VT_RC" 0
else
	setup iommufd 5 'no /dev/iommu: this kernel is built without CONFIG_IOMMUFD .*use --backend type1'
	vt_jq "iommufd: JSON names what was asked, nothing mapped" /tmp/iommufd.out \
		'.backend_requested == "iommufd" and .exit_code == 5 and (.regions | length) == 0 and .baseline_restored'
fi
vt_run rlmode vfio-pinctl map --backend type1 --rlimit-mode mm --type anon
setup rlmode 2 '--rlimit-mode sets the accounting of iommufd.s /dev/iommu; type1 has none'
vt_run rlbad vfio-pinctl map --rlimit-mode process --type anon
setup rlbad 2 "--rlimit-mode is user or mm, not 'process'"
vt_run badbackend vfio-pinctl map --backend vfio --type anon
setup badbackend 2 "unknown backend 'vfio'; choose auto, type1 or iommufd"
vt_run nogroup vfio-pinctl map --group 99 --type anon
setup nogroup 7 'no IOMMU group 99'
vt_run group vfio-pinctl map --json --group "$(vt_group_of $EDU)" --type anon:64K
vt_eq "--group picks edu" "$VT_RC" 0
vt_jq "--group: device is edu" /tmp/group.out ".device == \"$EDU\""
vt_run sysroot vfio-pinctl --sysroot /tmp map --type anon
setup sysroot 2 'map works on the live system only'

vt_cmp "no VmLck left in this shell" "$(vt_vmlck $$)" -eq 0
vt_done
