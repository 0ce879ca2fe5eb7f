#!/bin/bash
# inspect of a process with tens of thousands of vmas (a VMM with many memory
# regions, a DPDK app): one table row per vma, the rows past the first page
# of 1024 aligned with the first (the table is printed in pages), the same
# rows in every format, and memory bounded (peak RSS <= 16 MiB).
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
ht_need_root
N=30000   # below vm.max_map_count's default 65530 with the alternating vmas
ht_memproc --vmas $N
nmaps=$(wc -l <"/proc/$MP_PID/maps")
ht_ok "memproc made $N vmas or more" test "$nmaps" -ge $N

T=$HT_TMP/table.txt
/usr/bin/time -f %M -o "$HT_TMP/rss" "$BIN" inspect "$MP_PID" >"$T"
ht_eq "inspect exits 0" "$?" 0
# The table follows the summary and a blank line: a heading, then the rows.
rows=$(awk 'body { n++ } /^$/ { body = 1 } END { print n - 1 }' "$T")
ht_eq "one table row per vma" "$rows" "$nmaps"
# Right-aligned START and SIZE end, left-aligned PERMS starts, where the heading's do.
ht_eq "every row lines up with the heading (across the 1024-row pages)" "$(awk '
	body && !head { head = $0; es = index($0, "START") + 4; ez = index($0, " SIZE") + 4; sp = index($0, "PERMS"); next }
	body { if (substr($0, es, 1) == " " || substr($0, es + 1, 1) != " " ||
		   substr($0, ez, 1) == " " || substr($0, ez + 1, 1) != " " ||
		   substr($0, sp, 1) == " " || substr($0, sp - 1, 1) != " ") bad++ }
	/^$/ { body = 1 }
	END { print bad + 0 }' "$T")" 0
rss=$(cat "$HT_TMP/rss")
# An ASan build's RSS is its shadow memory and quarantine: make check's plain pass asserts the bound.
asan=0
ldd "$BIN" 2>/dev/null | grep -q libasan && asan=1
if ((asan)); then
	echo "# ASan build: peak RSS $rss KiB not compared with 16 MiB (shadow, quarantine); the plain build's run compares it"
else
	ht_ok "peak RSS ${rss} KiB <= 16 MiB" test "$rss" -le 16384
fi
ht_eq "-r: one line per vma and a heading" "$("$BIN" inspect -r "$MP_PID" | wc -l)" $((nmaps + 1))
ht_eq "-P -n: one line per vma" "$("$BIN" inspect -P -n "$MP_PID" | wc -l)" "$nmaps"
ht_eq "-n -b -o START,SIZE: one line per vma, sizes in bytes" \
	"$("$BIN" inspect -n -b -o START,SIZE "$MP_PID" | awk 'body && NF == 2 && $2 ~ /^[0-9]+$/ { n++ } /^$/ { body = 1 } END { print n }')" "$nmaps"
J=$HT_TMP/inspect.json
/usr/bin/time -f %M -o "$HT_TMP/rss.json" "$BIN" inspect --json "$MP_PID" >"$J"
ht_eq "--json: one object per vma" "$(jq '.vmas | length' "$J")" "$nmaps"
((asan)) || ht_ok "--json: peak RSS $(cat "$HT_TMP/rss.json") KiB <= 16 MiB" test "$(cat "$HT_TMP/rss.json")" -le 16384
start=$(mp_start vmas)
ht_eq "--json: the $N one-page vmas hold one anon page each" \
	"$(jq --arg s "$start" '[.vmas[] | select(.start >= $s and .mapped_bytes == 4096 and .anon_bytes == 4096)] | length' "$J")" $N
# The rows past the first page wait in TMPDIR: none there is exit 9, one line, nothing left.
TMPDIR=$HT_TMP/no-such-dir "$BIN" inspect "$MP_PID" >"$HT_TMP/notmp.out" 2>"$HT_TMP/notmp.err"
ht_eq "no writable TMPDIR: exit 9" "$?" 9
ht_eq "no writable TMPDIR: one line naming TMPDIR" \
	"$(grep -c 'set TMPDIR to a writable directory, or use --json or --summary' "$HT_TMP/notmp.err")/$(wc -l <"$HT_TMP/notmp.err")" 1/1
ht_eq "a long table leaves no file in TMPDIR" "$(mkdir -p "$HT_TMP/t" && TMPDIR=$HT_TMP/t "$BIN" inspect "$MP_PID" >/dev/null && ls -A "$HT_TMP/t" | wc -l)" 0
ht_done
