#!/bin/bash
# Run every libFuzzer harness for SECONDS each.  New inputs go to build-fuzz/corpus-NAME
# (the committed seeds in tests/fuzz/corpus/NAME are read, never written).  A crash
# leaves its input in build-fuzz/crash-NAME-*: turn it into a unit test fixture.
set -uo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
fail=0 pass=0
for h in build-fuzz/fuzz-*; do
	[ -x "$h" ] || continue
	name=$(basename "$h")
	mkdir -p "build-fuzz/corpus-$name"
	log=build-fuzz/$name.log
	"$h" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
		-artifact_prefix="build-fuzz/crash-$name-" \
		"build-fuzz/corpus-$name" "tests/fuzz/corpus/$name" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	if [ $rc -eq 0 ]; then
		echo "ok - $name: ${execs:-?} executions in ${secs}s"
		pass=$((pass + 1))
	else
		echo "not ok - $name: rc=$rc after ${execs:-?} executions; see $log"
		grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -5
		fail=$((fail + 1))
	fi
done
[ $((pass + fail)) -gt 0 ] || { echo "fuzz: no harnesses built (make fuzz-build)" >&2; exit 1; }
echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
