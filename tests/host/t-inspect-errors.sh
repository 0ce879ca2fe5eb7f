#!/bin/bash
# inspect's bad input and hostile conditions: one clear line, a distinct exit code.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
ht_need_root

expect() { ht_expect "$@"; }

# A pid that does not exist: take one past pid_max's reach by probing.
gone=$(sh -c 'echo $$')
expect "no such pid" 3 "no process $gone" "$BIN" inspect "$gone"
expect "not a pid" 2 "not a pid" "$BIN" inspect 12x
expect "two pids" 2 "one PID" "$BIN" inspect 1 2
expect "unknown option" 2 "bad option" "$BIN" inspect --frobnicate 1
expect "unknown column" 2 "unknown column 'NOPE'" "$BIN" inspect -o START,NOPE self
expect "unknown command" 2 "unknown command" "$BIN" frobnicate
expect "sysroot without the process" 6 "lacks a readable proc/1/status" "$BIN" --sysroot "$HT_TMP" inspect 1

# Another user's process, unprivileged: permission denied, exit 4.
ht_memproc --anon 1M
expect "other user's process" 4 "permission denied" \
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$BIN" inspect "$MP_PID"

# The process exits while it is scanned: exit 3, or 0 if the scan won the race; never
# anything else.  A large target and an early kill make the race likely.
seen3=0 other=0
for i in 1 2 3 4 5 6; do
	ht_memproc --anon 1G
	"$BIN" inspect --exact --no-pagemap-scan "$MP_PID" >/dev/null 2>"$HT_TMP/race.err" &
	ip=$!
	sleep 0.0$((i + 1)); kill -9 "$MP_PID"
	wait $ip; rc=$?
	case $rc in
	3) seen3=$((seen3 + 1)); grep -q "exited while it was being scanned\|no process" "$HT_TMP/race.err" || other=$((other + 1)) ;;
	0) ;;
	*) other=$((other + 1)); cat "$HT_TMP/race.err" ;;
	esac
	[ $seen3 -gt 0 ] && break
done
ht_ok "a process killed mid-scan is reported (exit 3)" test $seen3 -gt 0
ht_eq "never another exit code when the target dies" $other 0
ht_done
