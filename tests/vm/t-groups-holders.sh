# vm-kernels: 6.1 6.12
# groups names who holds a group: `map --hold` holding the edu device's group, then this
# shell opening the same group's node while the holder keeps it (refused: the group fd is
# exclusive), then a shell holding the group fd and a container itself; the holders' fds are
# checked against the guest's own /proc/PID/fd.
. /vmtest/lib.sh
VT_LOG_LINES=12
EDU=$(vt_find_pci 1234 11e8)
G=$(vt_group_of "$EDU")
vt_ne "edu has an IOMMU group" "$G" ""

rm -f /tmp/hold.err
vfio-pinctl map --type anon:1M --hold >/dev/null 2>/tmp/hold.err &
bg=$!
i=0
while [ $i -lt 120 ] && ! grep -q holding /tmp/hold.err; do sleep 0.5; i=$((i + 1)); done
vt_grep "map --hold is holding" /tmp/hold.err holding
gfd=$(for f in /proc/$bg/fd/*; do [ "$(readlink "$f")" = "/dev/vfio/$G" ] && basename "$f"; done)
vt_ne "the guest's /proc shows the holder's group fd" "$gfd" ""
vt_run gj vfio-pinctl groups -J -g "$G" -o GROUP,DEVICE,HOLDER,ADDRSPACE
vt_eq "groups exits 0" "$VT_RC" 0
vt_jq "holders: pid $bg (vfio-pinctl) holds /dev/vfio/$G as fd $gfd" /tmp/gj.out \
	"[.groups[0].holders[] | select(.pid == $bg and .comm == \"vfio-pinctl\" and .what == \"group\" and .fd == $gfd and .path == \"/dev/vfio/$G\")] | length == 1"
vt_jq "holders: and its container" /tmp/gj.out \
	"[.groups[0].holders[] | select(.pid == $bg and .what == \"container\")] | length == 1"
vt_jq "one address space" /tmp/gj.out '.groups[0].address_space.state == "one"'
vt_run gt vfio-pinctl groups -g "$G" -o GROUP,HOLDER
vt_grep "table: HOLDER names the pid and comm" /tmp/gt.out "$bg [(]vfio-pinctl[)]"
# the group fd is exclusive: a second open is refused while the holder has it
if (exec 8</dev/vfio/"$G") 2>/dev/null; then r=opened; else r=refused; fi
vt_eq "the kernel refuses a second open of /dev/vfio/$G" "$r" refused
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
