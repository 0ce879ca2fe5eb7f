# vm-args: --append vmtest_hugepages=0 --append no_timer_check
# vm-kernels: 6.1 6.12 iommufd
# map without huge pages reserved: hugetlb and hugetlb1g stop before any
# ioctl with exit 9, naming vm.nr_hugepages and the number needed; 4K memory
# still maps.
. /vmtest/lib.sh
VT_LOG_LINES=8

vt_eq "guest has no 2M huge pages" "$(cat /proc/sys/vm/nr_hugepages)" 0

vt_run huge vfio-pinctl map --json --type hugetlb
vt_eq "hugetlb: exit 9 (host resource missing)" "$VT_RC" 9
vt_grep "hugetlb: names vm.nr_hugepages and the fix" /tmp/huge.err \
	'no hugepages reserved: need 1 free 2M huge page.s., have 0 .vm.nr_hugepages=0, reserved 0.; run `sysctl vm.nr_hugepages=1`'
vt_jq "hugetlb: JSON error, nothing mapped, baseline untouched" /tmp/huge.out \
	'.exit_code == 9 and (.error.message | test("vm.nr_hugepages")) and (.regions | length) == 0 and .baseline_restored'

vt_run huge4 vfio-pinctl map --json --type anon:1M --type hugetlb:8M
vt_eq "anon + hugetlb:8M: exit 9" "$VT_RC" 9
vt_grep "hugetlb:8M: needs 4 pages" /tmp/huge4.err 'need 4 free 2M huge page.s.*sysctl vm.nr_hugepages=4'
vt_jq "anon + hugetlb:8M: the anon region allocated first was released" /tmp/huge4.out \
	'.final.vmlck_bytes == 0 and .baseline_restored'

vt_run huge1g vfio-pinctl map --json --type hugetlb1g
vt_eq "hugetlb1g: exit 9" "$VT_RC" 9
if [ -d /sys/kernel/mm/hugepages/hugepages-1048576kB ]; then
	vt_grep "hugetlb1g: names the boot parameters" /tmp/huge1g.err \
		'need 1 free 1G huge page.s., have 0 .*boot with hugepagesz=1G hugepages=1'
else
	vt_grep "hugetlb1g: no 1G pages on this CPU" /tmp/huge1g.err 'offers no 1G huge pages'
fi

vt_run anon vfio-pinctl map --json --type anon:1M
vt_eq "anon still maps: exit 0" "$VT_RC" 0
vt_jq "anon: charged 1M, agrees" /tmp/anon.out '.regions[0].measured_charge_bytes == 1048576 and .regions[0].agree'
vt_done
