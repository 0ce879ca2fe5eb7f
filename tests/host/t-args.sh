#!/bin/bash
# The one pid parser (lib/util.c parse_pid) at every command that takes a pid, and
# check --unit's live path: systemctl spawned with an argv, no shell.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
ht_need_root

expect() { ht_expect "$@"; }

# "" was "no process (it may have exited)", exit 3, for inspect and capture: bad usage.
for arg in "" 12ab 007 0 " 1" 99999999999; do
	expect "inspect '$arg'" 2 "'$arg' is not a pid" "$BIN" inspect "$arg"
	expect "capture '$arg'" 2 "'$arg' is not a pid" "$BIN" capture "$arg" -o "$HT_TMP/x.tar.gz"
	# check's usage code is the monitoring plugins' UNKNOWN
	expect "check --pid '$arg'" 3 "'$arg' is not a pid" "$BIN" check --pid "$arg"
done
ht_ok "capture left no archive after a bad pid" test ! -e "$HT_TMP/x.tar.gz"
# A well-formed pid that names no process is still "no process" (exit 3), not bad usage.
expect "inspect a pid above pid_max" 3 "no process 4194305" "$BIN" inspect 4194305
"$BIN" check --pid $$ -q >/dev/null 2>"$HT_TMP/err"
ht_ok "check --pid of a live shell runs (exit 0-2)" test $? -le 2
ht_eq "check --pid of a live shell: nothing on stderr" "$(cat "$HT_TMP/err")" ""

# CAP_IPC_LOCK: one reading (CapEff of status) for --pid and for this process, live.
"$BIN" check --pid $$ --json >"$HT_TMP/pid.json"
"$BIN" check --json >"$HT_TMP/self.json"
ht_ok "check --pid: root's shell has CAP_IPC_LOCK" grep -q '"cap_ipc_lock": *true' "$HT_TMP/pid.json"
ht_ok "check (this process): root has CAP_IPC_LOCK" grep -q '"cap_ipc_lock": *true' "$HT_TMP/self.json"
setpriv --inh-caps=-all --bounding-set=-ipc_lock "$BIN" check --json >"$HT_TMP/nocap.json"
ht_ok "check without cap_ipc_lock in the bounding set: false" grep -q '"cap_ipc_lock": *false' "$HT_TMP/nocap.json"

# --unit, live.  The real systemctl first: without a running systemd it fails, and the
# check says so (UNKNOWN), one line in the report, nothing from systemctl on stderr.
if [ "$(ps -p 1 -o comm=)" != systemd ]; then
	"$BIN" check --unit cron.service >"$HT_TMP/out" 2>"$HT_TMP/err"
	ht_ok "check --unit without systemd: exit 2 or 3 (a FAIL outranks the UNKNOWN)" test $? -ge 2
	ht_ok "check --unit without systemd: memlock UNKNOWN, systemctl failed" \
		grep -q "^UNKNOWN memlock: .*systemctl show cron.service failed (is systemd running?)" "$HT_TMP/out"
	ht_eq "check --unit without systemd: systemctl's stderr is not ours" "$(cat "$HT_TMP/err")" ""
fi
# Then a stand-in systemctl first on PATH (systemd's answer cannot be had here without
# systemd): it records its argv, one per line, and answers as systemctl show does.
mkdir "$HT_TMP/bin"
cat >"$HT_TMP/bin/systemctl" <<EOS
#!/bin/sh
printf '%s\n' "\$@" >"$HT_TMP/argv"
echo "stray diagnostics" >&2
printf 'LoadState=loaded\nLimitMEMLOCK=infinity\nLimitMEMLOCKSoft=67108864\nUser=\nAmbientCapabilities=\nExecStart={ path=/bin/true ; argv[]=/bin/true ; }\n'
EOS
chmod +x "$HT_TMP/bin/systemctl"
unit='vm\x2dtest@a b.service'
PATH=$HT_TMP/bin:$PATH "$BIN" check --unit 'vm\x2dtest@x.service' --json >"$HT_TMP/unit.json" 2>"$HT_TMP/err"
ht_eq "stand-in systemctl: its stderr discarded" "$(cat "$HT_TMP/err")" ""
ht_eq "stand-in systemctl: argv, the unit one word after --" "$(tr '\n' ' ' <"$HT_TMP/argv")" \
	'show -p LoadState -p LimitMEMLOCK -p LimitMEMLOCKSoft -p User -p AmbientCapabilities -p ExecStart -- vm\x2dtest@x.service '
ht_ok "stand-in systemctl: soft limit 64M read" grep -q '"memlock_soft_bytes": *67108864' "$HT_TMP/unit.json"
ht_ok "stand-in systemctl: limit from systemctl show" grep -q 'LimitMEMLOCK=67108864:infinity (systemctl show)' "$HT_TMP/unit.json"
# A name systemd would not accept never reaches a program (it used to reach /bin/sh quoted).
rm -f "$HT_TMP/argv"
PATH=$HT_TMP/bin:$PATH "$BIN" check --unit "$unit'; touch $HT_TMP/pwned; '" >"$HT_TMP/out" 2>&1
ht_ok "a unit name with a quote: not a unit name" grep -q "is not a unit name" "$HT_TMP/out"
ht_ok "a unit name with a quote: nothing ran" test ! -e "$HT_TMP/argv" -a ! -e "$HT_TMP/pwned"
# systemctl failing (unit unknown to it: exit 1) is reported as such.
printf '#!/bin/sh\nexit 1\n' >"$HT_TMP/bin/systemctl"
PATH=$HT_TMP/bin:$PATH "$BIN" check --unit vm.service >"$HT_TMP/out" 2>&1
ht_ok "systemctl exit 1: reported" grep -q "systemctl show vm.service failed" "$HT_TMP/out"
ht_done
