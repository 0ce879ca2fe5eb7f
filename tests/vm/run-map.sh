#!/bin/bash
# run-map.sh — the map scenarios in the test guest.
#
# usage: tests/vm/run-map.sh            every tests/vm/t-map-*.sh on 6.1 and 6.12
#                                       (the same as VM_ONLY=t-map- tests/vm/run-all.sh)
#        tests/vm/run-map.sh --table    boot each kernel with t-map-matrix.sh and print
#                                       the predicted-vs-measured table (markdown)
# VM_KERNELS="6.1 6.12" picks the kernels.  Needs ./vfio-pinctl (make).
set -euo pipefail
cd "$(dirname "$0")/../.."
kernels=${VM_KERNELS:-"6.1 6.12"}

if [ "${1:-}" != --table ]; then
	[ $# -eq 0 ] || { sed -n '3,8s/^# \{0,1\}//p' "$0" >&2; exit 2; }
	VM_ONLY=t-map- exec tests/vm/run-all.sh
fi

script=tests/vm/t-map-matrix.sh
eval "args=($(sed -n 's/^# vm-args: *//p' "$script" | head -1))"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
rc=0
for k in $kernels; do
	tests/vm/run-guest.sh --kernel "$k" --script "$script" --quiet "${args[@]}" >"$out.$k" 2>&1 || rc=$?
	grep '^# table: ' "$out.$k" | sed 's/^# table: //' >>"$out" || true
	if [ $rc -ne 0 ] || grep -q '^not ok' "$out.$k"; then
		echo "run-map: the matrix failed on $k (rc=$rc):" >&2
		grep -E '^(not ok|#   )' "$out.$k" | head -40 >&2
		rc=1
	fi
	rm -f "$out.$k"
done
kib() { echo "$(($1 / 1024)) KiB"; }
echo "| kernel | type | size | prot | classes before > after | VmLck before | predicted | measured | agree |"
echo "|---|---|---|---|---|---|---|---|---|"
while read -r kv type size prot cls before pred meas agree; do
	echo "| $kv | $type | $(kib "$size") | $prot | $cls | $(kib "$before") | $(kib "$pred") | $(kib "$meas") | $agree |"
done <"$out"
exit $rc
