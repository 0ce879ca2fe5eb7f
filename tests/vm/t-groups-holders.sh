# vm-kernels: 6.1 6.12 iommufd
# groups names who holds a group: `map --hold` holding the edu device's group (type1: the
# group fd and a container; on the iommufd kernel: the device's cdev, named back to the
# device, and /dev/iommu), then this shell opening the same group's node while the type1
# holder keeps it (refused: the group fd is exclusive), then this shell holding the group fd
# and a container itself; the holders' fds are checked against the guest's own /proc/PID/fd.
. /vmtest/lib.sh
VT_LOG_LINES=12
EDU=$(vt_find_pci 1234 11e8)
G=$(vt_group_of "$EDU")
vt_ne "edu has an IOMMU group" "$G" ""

case $(uname -r) in
*-iommufd) back="--backend iommufd" what=cdev ctx=iommufd node=/dev/vfio/devices/vfio ;;
*) back="--backend type1" what=group ctx=container node=/dev/vfio/$G ;;
esac
rm -f /tmp/hold.err
# shellcheck disable=SC2086
vfio-pinctl map $back --type anon:1M --hold >/dev/null 2>/tmp/hold.err &
bg=$!
i=0
while [ $i -lt 120 ] && ! grep -q holding /tmp/hold.err; do sleep 0.5; i=$((i + 1)); done
vt_grep "map --hold is holding" /tmp/hold.err holding
gfd= gpath=
for f in /proc/$bg/fd/*; do
	case $(readlink "$f") in "$node"*) gfd=$(basename "$f"); gpath=$(readlink "$f") ;; esac
done
vt_ne "the guest's /proc shows the holder's $what fd" "$gfd" ""
vt_run gj vfio-pinctl groups -J -g "$G" -o GROUP,DEVICE,HOLDER,ADDRSPACE
vt_eq "groups exits 0" "$VT_RC" 0
vt_jq "holders: pid $bg (vfio-pinctl) holds $gpath as fd $gfd ($what)" /tmp/gj.out \
	"[.groups[0].holders[] | select(.pid == $bg and .comm == \"vfio-pinctl\" and .what == \"$what\" and .fd == $gfd and .path == \"$gpath\")] | length == 1"
vt_jq "holders: and its $ctx" /tmp/gj.out \
	"[.groups[0].holders[] | select(.pid == $bg and .what == \"$ctx\")] | length == 1"
vt_jq "one address space" /tmp/gj.out '.groups[0].address_space.state == "one"'
vt_run gt vfio-pinctl groups -g "$G" -o GROUP,HOLDER
vt_grep "table: HOLDER names the pid and comm" /tmp/gt.out "$bg [(]vfio-pinctl[)]"
if [ "$what" = cdev ]; then
	vt_jq "the cdev is named back to $EDU (sysfs vfio-dev)" /tmp/gj.out \
		"[.groups[0].holders[] | select(.what == \"cdev\") | .device] == [\"$EDU\"]"
else
	# the group fd is exclusive: a second open is refused while the holder has it
	if (exec 8</dev/vfio/"$G") 2>/dev/null; then r=opened; else r=refused; fi
	vt_eq "the kernel refuses a second open of /dev/vfio/$G" "$r" refused
fi
kill -INT "$bg"; wait "$bg"

# this shell as the holder
exec 7</dev/vfio/vfio 8</dev/vfio/"$G"
vt_run gj2 vfio-pinctl groups -J -g "$G" -o GROUP,HOLDER,ADDRSPACE
vt_jq "after the holder exited: this shell (pid $$) holds group fd 8 and container fd 7" /tmp/gj2.out \
	"([.groups[0].holders[] | select(.pid == $$)] | map(.what + \":\" + (.fd | tostring)) | sort) == [\"container:7\", \"group:8\"]"
vt_jq "no holder but this shell" /tmp/gj2.out "[.groups[0].holders[].pid] | unique == [$$]"
exec 7<&- 8<&-
vt_run gj3 vfio-pinctl groups -J -g "$G" -o GROUP,HOLDER,ADDRSPACE
vt_jq "closed: no holders, unheld" /tmp/gj3.out '(.groups[0].holders | length == 0) and .groups[0].address_space.state == "unheld"'
vt_done
