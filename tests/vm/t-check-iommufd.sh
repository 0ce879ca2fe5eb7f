#!/bin/sh
# vm-kernels: iommufd iommufd-compat
# vm-args: --append no_timer_check
#
# check on our own 6.12 kernels: the backends check names what the kernel
# offers (set against the kernel's config and its device nodes), the memlock
# need is computed per backend (BARs refused under iommufd, VmPin too), and
# --probe maps and unmaps through the backend in use, with both counters
# checked by its rule, as root and as nobody.
. /vmtest/lib.sh
VT_LOG_LINES=20

EDU=0000:00:03.0
T=$VT_TMP
case $(uname -r) in
*-iommufd-compat) variant=compat ;;
*-iommufd) variant=type1 ;;
*) vt_bail "not one of build-kernel.sh's kernels: $(uname -r)" ;;
esac
vt_diag "kernel $(uname -r); /dev/vfio/vfio is $variant's"

# ---- what the kernel offers ------------------------------------------------------
vt_ok "/dev/iommu exists" test -c /dev/iommu
vt_ok "$EDU has a cdev (vfio-dev/vfio0/dev)" test -e /sys/bus/pci/devices/$EDU/vfio-dev/vfio0/dev
if [ "$variant" = compat ]; then
	vt_ok "the kernel's config: iommufd provides /dev/vfio/vfio" sh -c 'zcat /proc/config.gz | grep -qx CONFIG_IOMMUFD_VFIO_CONTAINER=y'
	offered='{"type1": false, "iommufd": true, "iommufd_compat": true}' container=iommufd-compat auto=iommufd
else
	vt_ok "the kernel's config: a type1 container" sh -c 'zcat /proc/config.gz | grep -qx CONFIG_VFIO_IOMMU_TYPE1=y'
	offered='{"type1": true, "iommufd": true, "iommufd_compat": false}' container=type1 auto=type1
fi
# edu's BAR0, as the kernel placed it (sysfs resource: start end flags)
read -r bar_start bar_end _ </sys/bus/pci/devices/$EDU/resource
bar=$((bar_end - bar_start + 1))
vt_eq "edu's BAR0 is 1M" "$bar" 1048576

vt_run auto vfio-pinctl check --guest-mem 16M --json
vt_eq "auto: exit 0 (OK)" "$VT_RC" 0
vt_jq "backends PASS, naming what is offered" $T/auto.out \
	'.checks[] | select(.id == "backends") | .status == "PASS" and (.finding | test("native iommufd: offered \\(/dev/iommu; cdev 0000:00:03.0 vfio0\\)"))'
vt_jq "figures: the container is $container's, offered $offered, auto uses $auto" $T/auto.out \
	".figures.backends | .container == \$c and .offered == $offered and .in_use == \$a and .dev_iommu and .cdevs == [{\"device\": \"$EDU\", \"cdev\": \"vfio0\"}]" \
	--arg c "$container" --arg a "$auto"
vt_jq "the memlock need per backend: 16M each, VmPin under iommufd, the BAR refused" $T/auto.out \
	"[.figures.backends.memlock_need[] | {backend, need_bytes, vmpin_bytes, bar_refused_bytes, limit_counter}] ==
	 [{\"backend\": \"type1\", \"need_bytes\": 16777216, \"vmpin_bytes\": 0, \"bar_refused_bytes\": 0, \"limit_counter\": \"VmLck\"},
	  {\"backend\": \"iommufd\", \"need_bytes\": 16777216, \"vmpin_bytes\": 16777216, \"bar_refused_bytes\": $bar, \"limit_counter\": \"user\"},
	  {\"backend\": \"iommufd-compat\", \"need_bytes\": 16777216, \"vmpin_bytes\": 16777216, \"bar_refused_bytes\": $bar, \"limit_counter\": \"VmLck\"}]"

# --backend type1: the container, whoever provides it
vt_run type1 vfio-pinctl check --guest-mem 16M --backend type1 --json
if [ "$variant" = compat ]; then
	vt_jq "--backend type1 on iommufd-compat: the compat container, per-mm, no dma_entry_limit" $T/type1.out \
		'.figures.backend == "iommufd-compat" and (.checks[] | select(.id == "backends") | .status == "PASS" and (.finding | test("--backend type1: /dev/vfio/vfio is iommufd.s compat container")))
		 and (.checks[] | select(.id == "dma_entries") | .status == "SKIP") and (.checks[] | select(.id == "memlock") | .finding | test("charged to VmLck \\(iommufd per-mm\\)"))'
else
	vt_jq "--backend type1: the type1 container, dma_entry_limit judged" $T/type1.out \
		'.figures.backend == "type1" and (.checks[] | select(.id == "dma_entries") | .status == "PASS")'
fi

# --backend iommufd: native; the nodes it opens are /dev/iommu and the cdev
vt_run native vfio-pinctl check --guest-mem 16M --backend iommufd --json
vt_eq "native: exit 0" "$VT_RC" 0
vt_jq "native: the cdev and /dev/iommu are the nodes judged" $T/native.out \
	'.figures.backend == "iommufd" and (.checks[] | select(.id == "vfio_dev_access") | .status == "PASS" and (.finding | test("native iommufd: /dev/vfio/devices/vfio0 .* and /dev/iommu")))'
vt_jq "native: the need is per user, the BAR refused" $T/native.out \
	'.checks[] | select(.id == "memlock") | .finding | test("per-user") and test("refused by iommufd")'

# ---- --probe: a real map and unmap through the backend in use ----------------------------
probe() { # probe NAME COUNTER-RE [check args...]
	_n=$1 _re=$2
	shift 2
	vt_run "$_n" vfio-pinctl check --probe --json "$@"
	vt_jq "$_n: probe PASS, $_re" "$T/$_n.out" \
		'.checks[] | select(.id == "probe" and .subject == $d) | .status == "PASS" and (.finding | test($re))' \
		--arg d "$EDU" --arg re "$_re"
}
if [ "$variant" = compat ]; then
	probe probe-auto 'through 0000:00:03.0 \(iommufd\): VmPin \+1024K as charged, back to 0K'
	probe probe-type1 'through 0000:00:03.0 \(iommufd-compat\): VmPin \+1024K as charged, back to 0K' --backend type1
else
	probe probe-auto 'through 0000:00:03.0 \(type1\): VmLck \+1024K as charged, back to 0K'
fi
probe probe-native 'through 0000:00:03.0 \(iommufd\): VmPin \+1024K as charged, back to 0K' --backend iommufd

# As nobody (no CAP_IPC_LOCK, RLIMIT_MEMLOCK 8M): per-mm charges VmLck too, per-user does not.
chmod 666 /dev/iommu /dev/vfio/devices/vfio0 /dev/vfio/"$(vt_group_of $EDU)"
su -s /bin/sh nobody -c "vfio-pinctl check --probe --json --backend iommufd --device $EDU" >$T/nob-native.out 2>$T/nob-native.err
vt_jq "nobody, native per-user: VmPin +1024K, VmLck unmoved" $T/nob-native.out \
	'.checks[] | select(.id == "probe") | .status == "PASS" and (.finding | test("\\(iommufd\\): VmPin \\+1024K as charged, back") and (test("VmLck") | not))'
if [ "$variant" = compat ]; then
	su -s /bin/sh nobody -c "vfio-pinctl check --probe --json --backend type1 --device $EDU" >$T/nob-compat.out 2>$T/nob-compat.err
	vt_jq "nobody, compat (per-mm): VmPin +1024K and VmLck +1024K" $T/nob-compat.out \
		'.checks[] | select(.id == "probe") | .status == "PASS" and (.finding | test("\\(iommufd-compat\\): VmPin \\+1024K as charged, VmLck \\+1024K \\(per-mm, no CAP_IPC_LOCK\\)"))'
fi
chmod 600 /dev/iommu /dev/vfio/devices/vfio0 /dev/vfio/"$(vt_group_of $EDU)"

# ---- metrics ------------------------------------------------------------------------------
vt_run prom vfio-pinctl check -q --prometheus $T/check.prom
vt_grep "metrics: native iommufd offered" $T/check.prom '^vfio_pinctl_backend_offered\{backend="iommufd",in_use="[01]"\} 1$'
if [ "$variant" = compat ]; then
	vt_grep "metrics: the compat container offered, no type1" $T/check.prom '^vfio_pinctl_backend_offered\{backend="type1",in_use="0"\} 0$'
else
	vt_grep "metrics: the type1 container offered and in use" $T/check.prom '^vfio_pinctl_backend_offered\{backend="type1",in_use="1"\} 1$'
fi

vt_cmp "no VmLck left in this shell" "$(vt_vmlck $$)" -eq 0
vt_done
