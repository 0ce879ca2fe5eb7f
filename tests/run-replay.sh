#!/bin/bash
# Replay tests: captured procfs/sysfs trees read through --sysroot, output compared
# with the expected files (util-linux style).  Each tests/fixtures/NAME/ holds:
#   tree.tar.gz      the captured tree (GNU tar, sparse files kept sparse)
#   cases            one case a line: CASE-NAME<TAB>vfio-pinctl arguments (@ROOT@ = tree)
#   expected/CASE    expected stdout followed by a line "rc=N"
# REPLAY_UPDATE=1 rewrites the expected files (review the diff before committing).
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-$PWD/vfio-pinctl}
[[ $bin = /* ]] || bin=$PWD/$bin
pass=0 fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for fx in tests/fixtures/*/; do
	[ -f "$fx/cases" ] || continue
	name=$(basename "$fx")
	root=$tmp/$name
	mkdir -p "$root"
	tar -xzf "$fx/tree.tar.gz" -C "$root" || { echo "not ok - $name: cannot unpack tree"; fail=$((fail + 1)); continue; }
	while IFS=$'\t' read -r case args; do
		[ -z "$case" ] || [ "${case:0:1}" = "#" ] && continue
		args=${args//@ROOT@/$root}
		out=$tmp/$name.$case.out
		# shellcheck disable=SC2086
		( eval "\"$bin\" $args" ) >"$out.raw" 2>&1; echo "rc=$?" >>"$out.raw"
		sed "s|$root|@ROOT@|g" "$out.raw" >"$out"
		exp=$fx/expected/$case
		if [ "${REPLAY_UPDATE:-0}" = 1 ]; then mkdir -p "$fx/expected"; cp "$out" "$exp"; fi
		if [ -f "$exp" ] && diff -u "$exp" "$out" >"$tmp/diff"; then
			echo "ok - $name/$case"; pass=$((pass + 1))
		else
			echo "not ok - $name/$case"; cat "$tmp/diff" 2>/dev/null | head -40; fail=$((fail + 1))
		fi
	done <"$fx/cases"
done
[ $((pass + fail)) -gt 0 ] || { echo "run-replay: no replay cases found" >&2; exit 1; }
echo "replay: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
