#!/bin/bash
# Standard output that cannot be written (a full disk: /dev/full, a closed fd) is an
# error like any other: one line on stderr, exit 11 (check: 3, UNKNOWN), never exit 0.
# groups and check read captured trees (the host may have no IOMMU); inspect reads itself live.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh

G=$HT_TMP/groups C=$HT_TMP/check
mkdir -p "$G" "$C"
tar -xzf tests/fixtures/groups-basic/tree.tar.gz -C "$G" || { echo "not ok - cannot unpack groups-basic"; exit 1; }
tar -xzf tests/fixtures/check-healthy/tree.tar.gz -C "$C" || { echo "not ok - cannot unpack check-healthy"; exit 1; }

full() {  # full DESC RC REGEX CMD...: CMD >/dev/full exits RC with one line matching REGEX
	local desc=$1 want=$2 re=$3; shift 3
	"$@" >/dev/full 2>"$HT_TMP/err"
	ht_eq "$desc >/dev/full: exit $want" "$?" "$want"
	ht_eq "$desc >/dev/full: one line on stderr" "$(wc -l <"$HT_TMP/err")" 1
	ht_ok "$desc >/dev/full: says '$re'" grep -qE "$re" "$HT_TMP/err"
}

W='cannot write the output'
full "groups" 11 "^vfio-pinctl: $W: No space left on device" "$BIN" --sysroot "$G" groups
full "groups -J" 11 "^vfio-pinctl: $W" "$BIN" --sysroot "$G" groups -J
full "groups --tree -J" 11 "^vfio-pinctl: $W" "$BIN" --sysroot "$G" groups --tree -J
full "groups -P" 11 "^vfio-pinctl: $W" "$BIN" --sysroot "$G" groups -P
full "groups --list-columns" 11 "^vfio-pinctl: $W" "$BIN" groups --list-columns
full "groups --help" 11 "^vfio-pinctl: $W" "$BIN" groups --help
for c in inspect map check capture; do
	want=11; [ $c = check ] && want=3
	full "$c --help" $want "$W" "$BIN" $c --help
done
full "--version" 11 "^vfio-pinctl: $W" "$BIN" --version
full "inspect --json self" 11 "^vfio-pinctl: $W" "$BIN" inspect --json self
full "inspect self" 11 "^vfio-pinctl: $W" "$BIN" inspect self
full "check" 3 "^vfio-pinctl check: $W" "$BIN" --sysroot "$C" check -m 4G
full "check --json" 3 "^vfio-pinctl check: $W" "$BIN" --sysroot "$C" check -m 4G --json
full "check -q" 3 "^vfio-pinctl check: $W" "$BIN" --sysroot "$C" check -m 4G -q
# An error found before the output keeps its own line and code: still one line, not two.
full "groups -g 99" 7 "^vfio-pinctl: no IOMMU group 99" "$BIN" --sysroot "$G" groups -g 99
full "groups -o BOGUS" 2 "unknown column 'BOGUS'" "$BIN" --sysroot "$G" groups -o BOGUS
# map needs VFIO: on a host with it the write error is exit 11; without it, map stops at
# its own first error.  Either way: non-zero and one line.
"$BIN" map --json --type anon:1M >/dev/full 2>"$HT_TMP/err"
rc=$?
ht_ok "map --json >/dev/full: non-zero exit (got $rc)" test "$rc" -ne 0
ht_eq "map --json >/dev/full: one line on stderr" "$(wc -l <"$HT_TMP/err")" 1

# A closed stdout is a write error too; a reader that stops early (| head) is not.
"$BIN" --sysroot "$G" groups >&- 2>"$HT_TMP/err"
ht_eq "groups >&-: exit 11" "$?" 11
ht_ok "groups >&-: says it" grep -q "$W" "$HT_TMP/err"
"$BIN" --sysroot "$G" groups -J 2>"$HT_TMP/err" | head -c 10 >/dev/null
ht_eq "groups -J | head -c 10: exit 0 (or SIGPIPE), nothing on stderr" "$(wc -c <"$HT_TMP/err")" 0
# And a writable stdout still exits 0.
"$BIN" --sysroot "$G" groups -J >"$HT_TMP/out" 2>"$HT_TMP/err"
ht_eq "groups -J >file: exit 0" "$?" 0
ht_ok "groups -J >file: valid JSON" jq -e '.groups | length > 0' "$HT_TMP/out"
ht_done
