# vm-args: --device pcie-root-port,id=rp1,chassis=1,disable-acs=on --device edu,bus=rp1,addr=0.0,multifunction=on --device pci-serial,bus=rp1,addr=0.1 --bind 0000:00:03.0,0000:01:00.0 --append no_timer_check
# vm-kernels: 6.1 6.12
# The viability rule with a bridge on pcieport: a root port without ACS shares
# its IOMMU group with the two functions below it, an edu on vfio-pci and a
# PCI serial port on the kernel's serial driver.  The kernel (5.19+: a group is
# viable when no driver claims DMA ownership; pcieport sets driver_managed_dma)
# refuses the group for the serial port only: map, groups and check must blame
# the serial port and never the root port (map used to blame every driver not
# named vfio*, and told the user to unbind the root port).  Once the serial
# port is unbound the group is viable with the root port still on pcieport.
# Debian's kernels only: the iommufd test kernels have no PCIEPORTBUS.
. /vmtest/lib.sh
VT_LOG_LINES=8

RP=0000:00:04.0
EDU=0000:01:00.0
SER=0000:01:00.1
G=$(vt_group_of $EDU)
vt_eq "root port on pcieport" "$(vt_driver_of $RP)" pcieport
vt_eq "edu below the root port" "$(cat /sys/bus/pci/devices/$EDU/device 2>/dev/null)" 0x11e8
vt_eq "edu on vfio-pci" "$(vt_driver_of $EDU)" vfio-pci
vt_eq "serial port on serial" "$(vt_driver_of $SER)" serial
vt_eq "root port shares the group (disable-acs)" "$(vt_group_of $RP)" "$G"
vt_eq "serial port shares the group" "$(vt_group_of $SER)" "$G"

vt_run nv vfio-pinctl map --json --device $EDU --type anon:1M
vt_eq "not viable: exit 7" "$VT_RC" 7
vt_grep "map blames the serial port" /tmp/nv.err \
	"IOMMU group $G is not viable: $SER .* is bound to serial; .*unbind it: echo $SER > /sys/bus/pci/devices/$SER/driver/unbind"
vt_fails "map does not blame the root port on pcieport" grep -q "is bound to pcieport" /tmp/nv.err
vt_fails "map does not tell to unbind the root port" grep -q "echo $RP " /tmp/nv.err
vt_eq "one error line" "$(wc -l </tmp/nv.err)" 1

vt_run groups vfio-pinctl groups -g "$G" -J --tree
vt_eq "groups -g exits 0" "$VT_RC" 0
vt_jq "groups: the root port is a bridge, the serial port the host member, the group not viable" /tmp/groups.out \
	'.groups[0] | .group == ($g | tonumber) and .viable == false and
	 ([.children[] | {(.device): .role}] | add) == {($rp): "bridge", ($edu): "vfio", ($ser): "host"}' \
	--arg g "$G" --arg rp "$RP" --arg edu "$EDU" --arg ser "$SER"

vt_run check vfio-pinctl check --device $EDU --json
vt_jq "check group_viable FAIL names the serial port only" /tmp/check.out \
	'[.checks[] | select(.id == "group_viable")][0] | .status == "FAIL" and (.finding | test($ser + " .* is bound to serial")) and (.finding | test("pcieport") | not)' \
	--arg ser "$SER"

echo $SER >/sys/bus/pci/devices/$SER/driver/unbind
vt_eq "serial port unbound" "$(vt_driver_of $SER)" ""
vt_eq "root port still on pcieport" "$(vt_driver_of $RP)" pcieport
vt_run ok vfio-pinctl map --json --device $EDU --type anon:1M
vt_eq "viable with the bridge on pcieport: exit 0" "$VT_RC" 0
vt_jq "mapped" /tmp/ok.out ".device == \"$EDU\" and .group == $G and ([.regions[].agree] | all)"
vt_run groups2 vfio-pinctl groups -g "$G" -J
vt_jq "groups agrees: viable" /tmp/groups2.out '[.groups[].viable] | all'
vt_done
