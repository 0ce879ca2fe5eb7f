#!/bin/bash
# capture on the host kernel: the archive replays inspect exactly; bad input is one line;
# a signal during the capture leaves no staging directory behind.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
ht_need_root
export TMPDIR=$HT_TMP/tmp
mkdir -p "$TMPDIR" && chmod 755 "$HT_TMP" && chmod 1777 "$TMPDIR"
ht_memproc --anon 8M --thp 4M --zero 1M --file 1M --mlock 1M
A=$HT_TMP/cap.tar.gz
"$BIN" capture "$MP_PID" -o "$A" 2>"$HT_TMP/cap.err"
ht_eq "capture exits 0" "$?" 0
ht_eq "capture reports one line" "$(wc -l <"$HT_TMP/cap.err")" 1
T=$HT_TMP/tree
mkdir "$T" && tar -xzf "$A" -C "$T"
ht_ok "pagemap captured sparse (blocks << size)" \
	test "$(du -k "$T/proc/$MP_PID/pagemap" | cut -f1)" -lt $(( $(stat -c %s "$T/proc/$MP_PID/pagemap") / 1024 / 16 ))
ht_ok "no environ" test ! -e "$T/proc/$MP_PID/environ"
"$BIN" inspect --json "$MP_PID" | jq -S 'del(.scan)' >"$HT_TMP/live.json"
"$BIN" --sysroot "$T" inspect --json "$MP_PID" | jq -S 'del(.scan)' >"$HT_TMP/replay.json"
ht_ok "inspect --json: replay == live" diff "$HT_TMP/live.json" "$HT_TMP/replay.json"
ht_ok "... and the replay has real pages" jq -e '.totals.thp_bytes == 4194304 and .totals.zero_bytes == 1048576' "$HT_TMP/replay.json"
"$BIN" inspect -b "$MP_PID" >"$HT_TMP/live.txt"
"$BIN" --sysroot "$T" inspect -b "$MP_PID" >"$HT_TMP/replay.txt"
ht_ok "inspect table: replay == live" diff "$HT_TMP/live.txt" "$HT_TMP/replay.txt"
ht_eq "no staging directory left" "$(ls "$TMPDIR")" ""

# Unprivileged: the archive says so by having no kpageflags; replay shows unknown pages.
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$BIN" capture self -o "$TMPDIR/u.tar.gz" 2>/dev/null
ht_eq "unprivileged capture of self exits 0" "$?" 0
mkdir "$HT_TMP/u" && tar -xzf "$TMPDIR/u.tar.gz" -C "$HT_TMP/u" 2>/dev/null
ht_ok "unprivileged: no kpageflags in the archive" test ! -e "$HT_TMP/u/proc/kpageflags"
rm -f "$TMPDIR/u.tar.gz"

expect() {  # expect DESC RC CMD...
	local desc=$1 want=$2; shift 2
	"$@" >/dev/null 2>"$HT_TMP/err"
	ht_eq "$desc: exit $want" "$?" "$want"
	ht_eq "$desc: one line" "$(wc -l <"$HT_TMP/err")" 1
}
expect "no -o" 2 "$BIN" capture "$MP_PID"
expect "no such pid" 3 "$BIN" capture 4194305 -o "$HT_TMP/x.tar.gz"
expect "unwritable output" 2 "$BIN" capture -o /nonexistent/dir/x.tar.gz
expect "with --sysroot" 2 "$BIN" --sysroot "$T" capture -o "$HT_TMP/y.tar.gz"
ht_eq "no staging directory left after errors" "$(ls "$TMPDIR")" ""

# SIGTERM in the middle: the capture finishes its cleanup, then dies of the signal.
ht_memproc --anon 1G
"$BIN" capture "$MP_PID" -o "$HT_TMP/sig.tar.gz" 2>/dev/null &
cp=$!
sleep 0.05
kill -TERM "$cp"
wait "$cp"
rc=$?
ht_ok "SIGTERM: ends by the signal or finishes (rc $rc)" test "$rc" -eq 143 -o "$rc" -eq 0
ht_eq "SIGTERM: no staging directory left" "$(ls "$TMPDIR")" ""
ht_done
