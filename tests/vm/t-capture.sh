# vm-kernels: 6.1 6.12
# vm-args: --file /usr/bin/tar:/usr/sbin/tar --append vmtest_hugepages=8 --timeout 300
# capture round trip on a real VFIO kernel: a `map --hold` process (anon, hugetlb, the
# edu BAR) is captured; inspect, check (every target and option family) and groups
# replayed from the archive through --sysroot print what they printed live, because
# capture packs what those commands read.  Nothing secret goes in, the archive is 0600,
# --redact blanks secrets and keeps the argv, and nothing stays behind.
. /vmtest/lib.sh
# GNU tar (sparse files) from the host, first in PATH for vfio-pinctl; busybox sh runs its
# own applet for a bare `tar`, and busybox tar cannot read sparse members: name it.
TAR=/usr/sbin/tar
vt_ok "GNU tar in the guest" sh -c "$TAR --version | grep -q GNU"
VT_LOG_LINES=20
EDU=0000:00:03.0

vfio-pinctl map --type anon:2M --type hugetlb --type bar --type zero:1M --hold >/tmp/hold.out 2>/tmp/hold.err &
bg=$!
i=0
while ! grep -q 'holding' /tmp/hold.err && [ $i -lt 120 ]; do sleep 0.5; i=$((i + 1)); done
vt_grep "the holder is holding" /tmp/hold.err holding

# A user limit for check --user; for --unit, systemd's answer from a stand-in systemctl
# first on PATH (the guest has no systemd): the capture keeps it, the replay reads it.
mkdir -p /etc/security/limits.d /tmp/bin
printf 'nobody hard memlock 65536\nnobody soft memlock 32768\n' >/etc/security/limits.d/vp.conf
printf '#!/bin/sh\nprintf "LoadState=loaded\\nLimitMEMLOCK=268435456\\nLimitMEMLOCKSoft=268435456\\nUser=\\nAmbientCapabilities=CAP_IPC_LOCK\\nExecStart={ path=/bin/true ; }\\n"\n' >/tmp/bin/systemctl
chmod +x /tmp/bin/systemctl
vt_run cap env PATH=/tmp/bin:$PATH vfio-pinctl capture "$bg" --user nobody --unit vp-guest.service -o /tmp/cap.tar.gz
vt_eq "capture exits 0" "$VT_RC" 0
vt_grep "capture says what it wrote" /tmp/cap.err 'wrote /tmp/cap.tar.gz'
mkdir /tmp/tree && $TAR -xzf /tmp/cap.tar.gz -C /tmp/tree
vt_eq "the archive is 0600" "$(stat -c %a /tmp/cap.tar.gz)" 600
vt_ok "the tree has the holder's pagemap" test -s "/tmp/tree/proc/$bg/pagemap"
vt_ok "the tree has kpageflags" test -s /tmp/tree/proc/kpageflags
vt_fails "no environ in the archive" test -e "/tmp/tree/proc/$bg/environ"
vt_fails "no /etc/shadow in the archive" test -e /tmp/tree/etc/shadow
vt_fails "no BAR contents (resourceN) in the archive" sh -c "ls /tmp/tree/sys/devices/pci0000:00/$EDU/ | grep -q '^resource[0-9]'"
vt_eq "no staging directory left" "$(ls -d /tmp/vfio-pinctl-capture.* 2>/dev/null)" ""

# inspect: the same report but for how the pages were read (PAGEMAP_SCAN is live only).
vfio-pinctl inspect --json "$bg" | jq -S 'del(.scan)' >/tmp/live.json
vfio-pinctl --sysroot /tmp/tree inspect --json "$bg" | jq -S 'del(.scan)' >/tmp/replay.json
vt_ok "inspect --json: replay == live" diff /tmp/live.json /tmp/replay.json
vt_jq "inspect: the replayed BAR mmap is named" /tmp/replay.json "[.vmas[] | select(.device == \"$EDU\" and .bar == 0)] | length == 1"
vt_jq "inspect: the replay has the DMA charge" /tmp/replay.json '.memlock.locked_bytes > 0 and .totals.hugetlb_bytes >= 2097152'
vfio-pinctl inspect "$bg" >/tmp/live.txt
vfio-pinctl --sysroot /tmp/tree inspect "$bg" >/tmp/replay.txt
vt_ok "inspect table: replay == live" diff /tmp/live.txt /tmp/replay.txt

# check for the holder and groups: the time stamp aside, the same.
vfio-pinctl check --pid "$bg" --guest-mem 4M --json | jq -S 'del(.timestamp)' >/tmp/clive.json
vfio-pinctl --sysroot /tmp/tree check --pid "$bg" --guest-mem 4M --json | jq -S 'del(.timestamp)' >/tmp/creplay.json
vt_ok "check --pid --json: replay == live" diff /tmp/clive.json /tmp/creplay.json
vfio-pinctl groups --json >/tmp/glive.json
vfio-pinctl --sysroot /tmp/tree groups --json >/tmp/greplay.json
vt_ok "groups --json: replay == live" diff /tmp/glive.json /tmp/greplay.json
vt_jq "groups: the replay has the edu device" /tmp/greplay.json "[.. | objects | select(.device? == \"$EDU\")] | length >= 1"

# Every option family: output and exit code, live == replay.
same() {  # same DESC ARGS...
	d=$1; shift
	vfio-pinctl "$@" >/tmp/l.out 2>&1; echo "exit $?" >>/tmp/l.out
	vfio-pinctl --sysroot /tmp/tree "$@" >/tmp/r.out 2>&1; echo "exit $?" >>/tmp/r.out
	vt_ok "$d: replay == live" diff /tmp/l.out /tmp/r.out
}
same "check --pid" check --pid "$bg"
same "check --pid --guest-mem --viommu" check --pid "$bg" -m 2G --viommu
for b in auto type1 iommufd iommufd-compat; do
	same "check --pid --backend $b" check --pid "$bg" -m 1G --backend "$b"
done
same "check --pid --json -m" check --pid "$bg" -m 1G --json
same "check --user" check --user nobody -m 1G --json
PATH=/tmp/bin:$PATH vfio-pinctl check --unit vp-guest.service -m 1G --json >/tmp/nl.json 2>&1
rm /tmp/bin/systemctl   # the replay needs no systemctl
vfio-pinctl --sysroot /tmp/tree check --unit vp-guest.service -m 1G --json >/tmp/nr.json 2>&1
vt_ok "check --unit (systemd's answer): replay == live" diff /tmp/nl.json /tmp/nr.json
same "groups" groups
same "groups --tree" groups --tree
same "groups --tree --json" groups --tree --json
same "groups -o" groups -o GROUP,DEVICE,DRIVER,ROLE,VIABLE,NODE
# Not inspect --pages: it prints each page's flags, and referenced/active change between
# the capture and a later live run (seen on 6.1); the classes are compared above.
vfio-pinctl --sysroot /tmp/tree check --user nobody --json >/tmp/ru.json
vt_jq "replayed --user: memlock from limits.d" /tmp/ru.json \
	'.target.resolved and .target.memlock_soft_bytes == 33554432 and .target.memlock_hard_bytes == 67108864'
vfio-pinctl --sysroot /tmp/tree check --unit vp-guest.service --json >/tmp/rn.json
vt_jq "replayed --unit: memlock and CAP_IPC_LOCK from systemctl show" /tmp/rn.json \
	'.target.resolved and .target.memlock_hard_bytes == 268435456 and .target.cap_ipc_lock and (.target.memlock_from | contains("(systemctl show)"))'

# --redact: secrets in the holder's arguments (it has none) and unrelated kernel
# parameters stay home; the argv itself is kept (model/redact.c, unit-tested).
vt_run capr vfio-pinctl capture --redact "$bg" -o /tmp/capr.tar.gz
vt_eq "capture --redact exits 0" "$VT_RC" 0
mkdir /tmp/treer && $TAR -xzf /tmp/capr.tar.gz -C /tmp/treer
vt_ok "redacted: the holder's argv kept (nothing secret in it)" cmp "/tmp/treer/proc/$bg/cmdline" "/proc/$bg/cmdline"
vt_grep "redacted: intel_iommu kept" /tmp/treer/proc/cmdline 'intel_iommu=on'
vt_fails "redacted: console= dropped" grep -q console= /tmp/treer/proc/cmdline

# Bad input.
vt_run capn vfio-pinctl capture 999999 -o /tmp/x.tar.gz
vt_eq "no such pid: exit 3" "$VT_RC" 3
vt_run capo vfio-pinctl capture "$bg"
vt_eq "no -o: exit 2" "$VT_RC" 2
vt_run capw vfio-pinctl capture -o /nonexistent/dir/x.tar.gz
vt_ne "unwritable output: non-zero exit" "$VT_RC" 0
vt_eq "unwritable output: no staging directory left" "$(ls -d /tmp/vfio-pinctl-capture.* 2>/dev/null)" ""

kill -INT "$bg"
wait "$bg"
vt_eq "the holder ends normally" "$?" 0
vt_done
