#!/bin/sh
# vm-kernels: 6.1 6.12
# inspect on a real VFIO kernel: a shell holding the container and the edu device's
# group fd is reported as a type1 user of that group, with the device named from sysfs.
. /vmtest/lib.sh
EDU=$(vt_find_pci 1234 11e8)
G=$(vt_group_of "$EDU")
vt_ne "edu has an IOMMU group" "$G" ""
exec 7</dev/vfio/vfio 8</dev/vfio/"$G"
vt_run insp vfio-pinctl inspect --json $$
vt_eq "inspect exits 0" "$(cat /tmp/insp.rc)" 0
vt_jq "backend is type1" /tmp/insp.out '.vfio.backend == "type1"'
vt_jq "one container" /tmp/insp.out '.vfio.containers == 1'
vt_jq "group $G listed" /tmp/insp.out ".vfio.groups[0].group == $G"
vt_jq "edu named with its driver" /tmp/insp.out ".vfio.groups[0].devices[0] | .bdf == \"$EDU\" and .driver == \"vfio-pci\""
vt_jq "VmLck read from status" /tmp/insp.out ".memlock.locked_bytes == $(vt_vmlck $$) * 1024"
vt_jq "pages classified (root sees pfns)" /tmp/insp.out '.totals.unknown_bytes == 0 and .totals.present_bytes > 0'
vt_jq "a second container is flagged" /tmp/insp.out '.memlock.multiple_contexts == false'
exec 9</dev/vfio/vfio
vt_run insp2 vfio-pinctl inspect --json $$
vt_jq "two containers: multiple_contexts" /tmp/insp2.out '.vfio.containers == 2 and .memlock.multiple_contexts == true'
exec 7<&- 8<&- 9<&-
vt_run insp3 vfio-pinctl inspect --summary $$
vt_grep "summary names backend none after close" /tmp/insp3.out 'backend none'
vt_done
