#!/bin/bash
# cmocka unit tests: pure logic (decoders, parsers, the accounting model).
set -uo pipefail
rc=0
[ $# -gt 0 ] && [ -e "$1" ] || { echo "run-unit: no unit test binaries (build with make check)" >&2; exit 1; }
for t in "$@"; do
	"$t" || rc=1
done
exit $rc
