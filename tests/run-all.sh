#!/bin/bash
# Every test of vfio-pinctl, layer by layer.  A layer that cannot run says why and fails.
set -uo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
failed=()
run() {
	local name=$1; shift
	echo "=== $name"
	if "$@"; then echo "=== $name: ok"; else echo "=== $name: FAILED"; failed+=("$name"); fi
}
run unit   tests/run-unit.sh build/unit/test-*
run replay tests/run-replay.sh
run host   tests/run-host.sh
run vm     tests/vm/run-all.sh
echo
if [ ${#failed[@]} -eq 0 ]; then
	echo "all test layers passed"
	exit 0
fi
echo "failed layers: ${failed[*]}"
exit 1
