#!/bin/bash
# The systemd units: `systemd-analyze verify` clean (it needs no systemd as PID 1), a broken copy
# caught, the sandbox's exposure measured offline, and the unit's promise that check needs no
# capability tested for real: root with an empty bounding set (what CapabilityBoundingSet= gives)
# reports exactly what full root reports and still writes both files.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
ht_need_root
command -v systemd-analyze >/dev/null || { echo "not ok - systemd-analyze is missing (package systemd; tests/install-deps.sh)"; exit 1; }
P=$HT_TMP/p
# Installed with its own PREFIX so ExecStart= names a binary that exists (verify checks it).
make -s install PREFIX="$P/usr" >/dev/null
U=$P/usr/lib/systemd/system
ht_ok "units installed" test -f "$U/vfio-pinctl-check.service" -a -f "$U/vfio-pinctl-check.timer"
ht_ok "ExecStart= names the installed binary" grep -q "^ExecStart=$P/usr/bin/vfio-pinctl check " "$U/vfio-pinctl-check.service"
out=$(MANPATH=$P/usr/share/man systemd-analyze verify "$U/vfio-pinctl-check.service" "$U/vfio-pinctl-check.timer" 2>&1)
ht_eq "systemd-analyze verify: exit 0" "$?" 0
ht_eq "systemd-analyze verify: no warning (man page found, every key known)" "$out" ""
sed 's/^ProtectSystem=/ProtectSystm=/' "$U/vfio-pinctl-check.service" >"$HT_TMP/broken-check.service"
ht_ok "a misspelt key is caught" bash -c "systemd-analyze verify '$HT_TMP/broken-check.service' 2>&1 | grep -q \"Unknown key 'ProtectSystm'\""
sec=$(systemd-analyze security --offline=true "$U/vfio-pinctl-check.service" 2>/dev/null | sed -n 's/.*Overall exposure level for vfio-pinctl-check.service: \([0-9.]*\).*/\1/p')
echo "# systemd-analyze security --offline: exposure $sec"
ht_ok "exposure level below 2.0 (systemd's 'OK' band)" awk -v s="$sec" 'BEGIN { exit !(s != "" && s < 2.0) }'
ht_ok "the timer is not enabled by the unit itself (WantedBy=timers.target, enabled by the admin)" grep -q '^WantedBy=timers.target' "$U/vfio-pinctl-check.timer"

# The service's command, as root with no capability at all, against full root: same report.
# --pid of a long-lived process: the target's limit is its own, not the caller's (whose
# CAP_IPC_LOCK differs between the two runs by design).
ht_memproc --anon 1M
D=$HT_TMP/out && mkdir "$D"
"$BIN" check --pid "$MP_PID" --guest-mem 1G --json >"$HT_TMP/full.json"
full_rc=$?
setpriv --bounding-set=-all --inh-caps=-all --no-new-privs \
	"$BIN" check --pid "$MP_PID" --guest-mem 1G --json --prometheus "$D/v.prom" --nfd "$D/v" >"$HT_TMP/nocap.json"
ht_eq "no capabilities: same exit code" "$?" "$full_rc"
ht_ok "no capabilities: the same checks and figures" diff <(jq -S . "$HT_TMP/full.json") <(jq -S . "$HT_TMP/nocap.json")
ht_ok "no capabilities: the metrics file written" grep -q '^vfio_pinctl_check_exit_code ' "$D/v.prom"
ht_ok "no capabilities: the feature file written" grep -q '^vfio-pinctl.feature.node.kubernetes.io/status=' "$D/v"
ht_eq "nothing else left in the directory" "$(ls -A "$D" | tr '\n' ' ')" "v v.prom "
ht_done
