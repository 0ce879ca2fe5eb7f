#!/bin/bash
# Host tests: the real host kernel's pagemap, kpageflags and procfs, through the real binary.
set -uo pipefail
cd "$(dirname "$0")/.."
pass=0 fail=0
for t in tests/host/t-*.sh; do
	[ -e "$t" ] || { echo "run-host: no host tests found" >&2; exit 1; }
	echo "--- $t"
	if bash "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "--- $t FAILED"; fi
done
echo "host: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
