#!/bin/bash
# run-map.sh — the map scenarios in the test guest.
#
# usage: tests/vm/run-map.sh [NAME...]  every tests/vm/t-map-*.sh (or t-map-NAME.sh)
#                                       on each kernel; TAP per script, FAILED lines
#        tests/vm/run-map.sh --table    boot each kernel with t-map-matrix.sh and print
#                                       the predicted-vs-measured table (markdown)
# VM_KERNELS="6.1 6.12" picks the kernels; VM_BINARY (default ./vfio-pinctl) the
# binary under test; VM_LOGDIR (default build/vm-logs) keeps each run's output.
# tests/vm/run-all.sh runs the same scripts as part of `make check`.
set -uo pipefail
cd "$(dirname "$0")/../.."
kernels=${VM_KERNELS:-"6.1 6.12"}
binary=${VM_BINARY:-./vfio-pinctl}
logdir=${VM_LOGDIR:-build/vm-logs}
mkdir -p "$logdir"

vm_args() { sed -n 's/^# vm-args: *//p' "$1" | head -1; }

# run SCRIPT KERNEL LOG: one boot; 0 when the script passed every check
run() {
	local args
	eval "args=($(vm_args "$1"))"
	tests/vm/run-guest.sh --kernel "$2" --script "$1" --binary "$binary" --quiet \
		--log "$3.console" "${args[@]}" >"$3" 2>&1 || return 1
	! grep -q -e '^not ok' -e '# SKIP' "$3" && grep -q '^1\.\.[1-9]' "$3"
}

if [ "${1:-}" = --table ]; then
	script=tests/vm/t-map-matrix.sh
	rows=$(mktemp)
	trap 'rm -f "$rows"' EXIT
	rc=0
	for k in $kernels; do
		log=$logdir/t-map-matrix-$k.log
		if ! run "$script" "$k" "$log"; then
			echo "run-map: the matrix failed on $k (log: $log):" >&2
			grep -E '^(not ok|#   |run-guest)' "$log" | head -40 >&2
			rc=1
		fi
		sed -n 's/^# table: //p' "$log" >>"$rows"
	done
	kib() { echo "$(($1 / 1024)) KiB"; }
	echo "| kernel | type | size | prot | classes before > after | VmLck before | predicted | measured | agree |"
	echo "|---|---|---|---|---|---|---|---|---|"
	while read -r kv type size prot cls before pred meas agree; do
		echo "| $kv | $type | $(kib "$size") | $prot | $cls | $(kib "$before") | $(kib "$pred") | $(kib "$meas") | $agree |"
	done <"$rows"
	exit $rc
fi

scripts=()
if [ $# -eq 0 ]; then
	scripts=(tests/vm/t-map-*.sh)
else
	for n in "$@"; do scripts+=("tests/vm/t-map-${n#t-map-}"); scripts[-1]=${scripts[-1]%.sh}.sh; done
fi
pass=0 failed=()
for k in $kernels; do
	for t in "${scripts[@]}"; do
		[ -f "$t" ] || { echo "run-map: no $t" >&2; exit 2; }
		name=$(basename "$t" .sh)
		log=$logdir/$name-$k.log
		if run "$t" "$k" "$log"; then
			echo "ok   $name on $k: $(grep -c '^ok' "$log") checks"
			pass=$((pass + 1))
		else
			echo "FAIL $name on $k (log: $log)"
			grep -E '^(not ok|run-guest:)' "$log" | head -10 | sed 's/^/     /'
			failed+=("$name@$k")
		fi
	done
done
echo "map VM tests: $pass passed, ${#failed[@]} failed${failed[*]:+: ${failed[*]}}"
[ ${#failed[@]} -eq 0 ]
