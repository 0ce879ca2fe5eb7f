# vm-args: --bind none --append no_timer_check
# vm-kernels: 6.1 6.12
# map with nothing bound to vfio-pci (edu left on no driver), then with the
# vfio modules unloaded: each stops before any ioctl, names cause and fix.
. /vmtest/lib.sh
VT_LOG_LINES=8

EDU=0000:00:03.0
vt_eq "edu is left unbound" "$(vt_driver_of $EDU)" ""

vt_run auto vfio-pinctl map --json --type anon
vt_eq "no device bound: exit 7" "$VT_RC" 7
vt_grep "no device bound: says how to bind and lists candidates" /tmp/auto.err \
	'no device is bound to vfio-pci; bind one .*candidates: .*0000:00:03.0 .*\[no driver\]'

vt_run dev vfio-pinctl map --json --device $EDU --type anon
vt_eq "--device edu, unbound: exit 7" "$VT_RC" 7
vt_grep "--device edu: not bound, how to bind" /tmp/dev.err \
	"$EDU .* is not bound to vfio-pci \\(no driver\\); bind it: echo vfio-pci > /sys/bus/pci/devices/$EDU/driver_override"
vt_jq "--device edu: JSON names the device and group" /tmp/dev.out \
	".exit_code == 7 and .device == null and (.error.message | test(\"not bound\"))"

# Unload VFIO: no /dev/vfio/vfio.
for m in vfio_pci vfio_pci_core vfio_iommu_type1 vfio_virqfd vfio; do
	[ -d /sys/module/$m ] && rmmod $m
done
vt_fails "the vfio modules are gone" test -d /sys/module/vfio
vt_fails "no /dev/vfio/vfio" test -e /dev/vfio/vfio
vt_run nomod vfio-pinctl map --json --device $EDU --type anon
vt_eq "vfio not loaded: exit 5" "$VT_RC" 5
vt_grep "vfio not loaded: names the module and the fix" /tmp/nomod.err \
	'no /dev/vfio/vfio: the vfio module is not loaded; load it with `modprobe vfio-pci`'
vt_done
