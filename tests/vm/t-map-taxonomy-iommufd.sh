#!/bin/sh
# vm-kernels: iommufd iommufd-compat
# vm-args: --append vmtest_hugepages=2 --append no_timer_check
# The taxonomy kinds our iommufd test kernels can make (no nvdimm, dax, drm, KSM,
# secretmem or /dev/mem in their config): the huge zero page and a MAP_PRIVATE
# memfd, through every backend mode.  The note had iommufd's rules for them
# from source only: here they are measured (and map counts them verified).  iommufd
# exists from 6.2, so a R/O long-term pin unshares both: pinned, charged to
# VmPin, pfns changed, every pin given back at unmap; pin_user_pages_fast
# takes and drops the first leaf once more.  And the kinds these
# kernels lack: one line each, exit 9.
. /vmtest/lib.sh
VT_LOG_LINES=10
EDU=0000:00:03.0
M4=4194304
case $(uname -r) in
*-iommufd-compat) modes="user mm compat" ;;
*-iommufd) modes="user mm type1" ;;
*) vt_bail "not one of build-kernel.sh's kernels: $(uname -r)" ;;
esac
args() {
	case $1 in
	user) echo "--backend iommufd" ;;
	mm) echo "--backend iommufd --rlimit-mode mm" ;;
	*) echo "--backend type1" ;;
	esac
}
for m in $modes; do
	for t in hugezero private; do
		n=$m-$t
		# shellcheck disable=SC2046
		vt_run $n vfio-pinctl map --json $(args $m) --device $EDU --type $t
		vt_eq "$m $t: exit 0" "$VT_RC" 0
		vt_jq "$m $t: predicted == measured (charge, pins, pfns)" /tmp/$n.out '.regions[0].agree'
		vt_jq "$m $t: unshared on the R/O pin: every pfn changed" /tmp/$n.out ".regions[0].pfns_changed_bytes == $M4"
		# iommufd pins its own mm with pin_user_pages_fast: gup_fast grabs the first leaf
		# (the huge zero PMD: 512; a pte: 1), sees it must unshare, drops it, falls back.
		extra=0
		[ $m = type1 ] || { [ $t = hugezero ] && extra=512 || extra=1; }
		vt_jq "$m $t: $((1024 + extra)) pins taken, $extra released at map, 1024 at unmap, none leaked" /tmp/$n.out \
			".regions[0].pins.measured.taken_at_map == 1024 + $extra and .regions[0].pins.measured.released_at_map == $extra and
			 .regions[0].pins.measured.released_at_unmap == 1024 and .final.pins_leaked == 0"
		if [ $m = type1 ]; then
			vt_jq "$m $t: VmLck +4M (root is charged by type1)" /tmp/$n.out ".regions[0].measured.vmlck_bytes == $M4"
		else
			vt_jq "$m $t: VmPin +4M" /tmp/$n.out ".regions[0].measured.vmpin_bytes == $M4"
		fi
		vt_jq "$m $t: the rule counts as measured (this test)" /tmp/$n.out '.regions[0].rule_verified'
	done
done
for t in devdax vgem secretmem ksm devmem; do
	vt_run miss-$t vfio-pinctl map --device $EDU --type $t
	vt_eq "$t on this kernel: exit 9" "$VT_RC" 9
	vt_eq "$t: one line" "$(wc -l </tmp/miss-$t.err)" 1
done
vt_grep "secretmem: names the missing config" /tmp/miss-secretmem.err 'built without CONFIG_SECRETMEM'
vt_grep "ksm: names the missing config" /tmp/miss-ksm.err 'CONFIG_KSM'
vt_done
