#!/bin/bash
# Every test of vfio-pinctl, layer by layer.  A layer that cannot run says why and fails.
set -uo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C
failed=()
layers=0
run() {
	local name=$1; shift
	layers=$((layers + 1))
	echo "=== $name"
	if "$@"; then echo "=== $name: ok"; else echo "=== $name: FAILED"; failed+=("$name"); fi
}
run lint        make -s lint
run unit        tests/run-unit.sh build/unit/test-*
run replay      tests/run-replay.sh
run host        tests/run-host.sh
# The Debian package: built from a clean copy, lintian, installed and purged in a throw-away root.
run package     bash tests/package/t-deb.sh
# The same unit, replay and host tests against the ASan+UBSan build: any report fails them.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run unit-asan   tests/run-unit.sh build-asan/unit/test-*
run replay-asan env BIN=build-asan/vfio-pinctl tests/run-replay.sh
run host-asan   env BIN=$PWD/build-asan/vfio-pinctl tests/run-host.sh
unset ASAN_OPTIONS UBSAN_OPTIONS
# Every libFuzzer harness, briefly (make fuzz runs them as long as asked).
run fuzz        tests/fuzz/run.sh "${FUZZ_SECONDS:-5}"
run vm          tests/vm/run-all.sh
echo
[ ${#failed[@]} -eq 0 ] || echo "failed layers: ${failed[*]}"
echo "layers: $((layers - ${#failed[@]})) passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
