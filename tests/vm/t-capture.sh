# vm-kernels: 6.1 6.12
# vm-args: --file /usr/bin/tar:/usr/sbin/tar --append vmtest_hugepages=8
# capture round trip on a real VFIO kernel: a `map --hold` process (anon, hugetlb, the
# edu BAR) is captured; inspect, check and groups replayed from the archive through
# --sysroot print what they printed live.  Nothing secret goes in, --redact redacts,
# and nothing stays behind.
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

vt_run cap vfio-pinctl capture "$bg" -o /tmp/cap.tar.gz
vt_eq "capture exits 0" "$VT_RC" 0
vt_grep "capture says what it wrote" /tmp/cap.err 'wrote /tmp/cap.tar.gz'
mkdir /tmp/tree && $TAR -xzf /tmp/cap.tar.gz -C /tmp/tree
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

# --redact: the holder's arguments and unrelated kernel parameters stay home.
vt_run capr vfio-pinctl capture --redact "$bg" -o /tmp/capr.tar.gz
vt_eq "capture --redact exits 0" "$VT_RC" 0
mkdir /tmp/treer && $TAR -xzf /tmp/capr.tar.gz -C /tmp/treer
vt_eq "redacted: the holder's cmdline" "$(cat "/tmp/treer/proc/$bg/cmdline")" "[redacted]"
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
