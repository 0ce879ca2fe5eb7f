#!/bin/bash
# Progress of long scans: on a terminal (a pseudo-terminal from script(1)) inspect and capture of
# a process mapping more than 4 GiB show "scanned X of Y mapped (N%), R/s" on stderr and erase it
# before the report; nothing without a terminal, nothing for a small process, nothing with --json
# into a pipe; the counts are the same with the progress (1 GiB pieces) as without (whole ranges).
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
ht_need_root
command -v script >/dev/null || { echo "not ok - script(1) is missing (bsdutils; tests/install-deps.sh)"; exit 1; }
ht_memproc --untouched 6G --anon 64M --thp 4M
BIGPID=$MP_PID
ht_memproc --anon 8M
SMALLPID=$MP_PID
export TMPDIR=$HT_TMP

# pty CMD: run CMD with stdin/stdout/stderr on a wide pseudo-terminal (no column truncated); its output (CR LF) on stdout
pty() { script -qefc "stty cols 1000 rows 50; $1" /dev/null </dev/null; }

pty "$BIN inspect -b $BIGPID" >"$HT_TMP/big.tty"
ht_ok "pty: progress line shown" grep -aqE $'vfio-pinctl: scanned [0-9.]*[KMGT]* of 6(\\.[0-9])?G mapped \([0-9]*%\), ' "$HT_TMP/big.tty"
ht_ok "pty: progress has a rate" grep -aqE 'mapped \([0-9]+%\), ([0-9.]+[KMGT]?|-)/s' "$HT_TMP/big.tty"
# The report starts after the last erase (\r ESC[K): no row is printed into the status line.
tr -d '\r' <"$HT_TMP/big.tty" | sed 's/.*\x1b\[K//' >"$HT_TMP/big.report"
"$BIN" inspect -b "$BIGPID" >"$HT_TMP/big.plain" 2>"$HT_TMP/big.err"
ht_ok "no pty: the same report, byte for byte (1 GiB pieces count as whole ranges)" diff "$HT_TMP/big.plain" "$HT_TMP/big.report"
ht_eq "no pty: nothing on stderr" "$(wc -c <"$HT_TMP/big.err")" 0
ht_ok "... and the report has the 4M of THP, so pages were really classified" grep -q 'thp 4194304' "$HT_TMP/big.plain"

pty "$BIN inspect --json $BIGPID | cat >$HT_TMP/big.json" >"$HT_TMP/json.tty"
ht_eq "pty, --json into a pipe: no progress" "$(grep -ac 'scanned' "$HT_TMP/json.tty")" 0
ht_ok "... and the JSON is whole" jq -e '.totals.thp_bytes == 4194304' "$HT_TMP/big.json"

pty "$BIN inspect $SMALLPID" >"$HT_TMP/small.tty"
ht_eq "pty, a process under 4 GiB: no progress" "$(grep -ac 'scanned' "$HT_TMP/small.tty")" 0

pty "$BIN capture $BIGPID -o $HT_TMP/c.tar.gz" >"$HT_TMP/cap.tty"
ht_ok "pty: capture shows its progress" grep -aqE 'vfio-pinctl: captured [0-9.]*[KMGT]* of 6(\.[0-9])?G mapped' "$HT_TMP/cap.tty"
ht_ok "... erased before its one line" grep -aq $'\x1b\\[K\r\x1b\\[Kvfio-pinctl: wrote ' "$HT_TMP/cap.tty"
"$BIN" capture "$BIGPID" -o "$HT_TMP/c2.tar.gz" 2>"$HT_TMP/cap.err"
ht_eq "no pty: capture prints its one line only" "$(grep -c . "$HT_TMP/cap.err"):$(grep -c captured "$HT_TMP/cap.err")" "1:0"
ht_done
