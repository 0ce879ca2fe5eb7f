# vm-args: --device pcie-pci-bridge,id=br1 --device edu,bus=br1,addr=1 --device pci-serial,bus=br1,addr=2 --bind 0000:00:03.0,0000:01:01.0 --append no_timer_check
# vm-kernels: 6.1 6.12 iommufd
# A group that is not viable: a second edu and a PCI serial port share the
# group of a PCIe-to-PCI bridge; the serial port is bound to the kernel's
# serial driver.  map lists the group's devices and drivers, exit 7; once the
# serial port is unbound the same map works.  With two devices bound, map
# without --device lists them and stops.
. /vmtest/lib.sh
VT_LOG_LINES=8

EDU2=0000:01:01.0
SER=0000:01:02.0
G=$(vt_group_of $EDU2)
vt_eq "second edu behind the bridge" "$(cat /sys/bus/pci/devices/$EDU2/device 2>/dev/null)" 0x11e8
vt_eq "serial port shares its group" "$(vt_group_of $SER)" "$G"
vt_eq "serial port bound to serial" "$(vt_driver_of $SER)" serial

vt_run auto vfio-pinctl map --json --type anon
vt_eq "two devices bound, none chosen: exit 2" "$VT_RC" 2
vt_grep "lists the candidates" /tmp/auto.err '2 devices are bound to vfio-pci: .*0000:00:03.0 .*0000:01:01.0|2 devices are bound to vfio-pci: .*0000:01:01.0 .*0000:00:03.0'

vt_run nv vfio-pinctl map --json --device $EDU2 --type anon:1M
vt_eq "not viable: exit 7" "$VT_RC" 7
vt_grep "not viable: names the offender, its driver, the group and the fix" /tmp/nv.err \
	"IOMMU group $G is not viable: $SER .* is bound to serial; .*group: .*$EDU2 \\[vfio-pci\\].*$SER \\[serial\\].*echo $SER > /sys/bus/pci/devices/$SER/driver/unbind"
vt_run nvg vfio-pinctl map --group "$G" --type anon:1M
vt_eq "not viable via --group: exit 7" "$VT_RC" 7

echo $SER >/sys/bus/pci/devices/$SER/driver/unbind
vt_eq "serial port unbound" "$(vt_driver_of $SER)" ""
vt_run ok vfio-pinctl map --json --device $EDU2 --type anon:1M --type bar
vt_eq "viable now: exit 0" "$VT_RC" 0
vt_jq "viable now: mapped on the bridged edu" /tmp/ok.out \
	".device == \"$EDU2\" and .group == $G and ([.regions[].agree] | all) and .regions[0].measured_charge_bytes == 1048576"
vt_done
