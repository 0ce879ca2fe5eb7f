#!/bin/bash
# The VM layer: every guest script (tests/vm/smoke.sh and tests/vm/t-*.sh) on each
# test kernel.  A script's first "# vm-args:" line gives extra run-guest.sh arguments;
# "# vm-kernels:" restricts the kernels (default: all of VM_KERNELS).
# A boot failure, a "not ok" line or a SKIP fails the layer: nothing is skipped silently.
set -uo pipefail
cd "$(dirname "$0")/../.."
# Debian's own 6.1 and 6.12 (type1, modules), and two 6.12 kernels the tests build
# themselves for iommufd (type1 + native iommufd; iommufd's compat container).
kernels=${VM_KERNELS:-"6.1 6.12 iommufd iommufd-compat"}
only=${VM_ONLY:-}          # a substring of script names, to run a subset
logdir=${VM_LOGDIR:-build/vm-logs}
mkdir -p "$logdir"
pass=0 fail=0 failed=() details=()

header() {  # header FILE KEY
	sed -n "s/^# $2: *//p" "$1" | head -1
}

# Build the iommufd kernels once, both from one source unpack (cached afterwards).
variants=()
for k in $kernels; do
	case $k in iommufd) variants+=(type1+iommufd) ;; iommufd-compat) variants+=(iommufd-compat) ;; esac
done
if [ ${#variants[@]} -gt 0 ]; then
	echo "--- building the iommufd test kernels (${variants[*]}); cached after the first time"
	if ! tests/vm/build-kernel.sh "${variants[@]}" >"$logdir/build-kernel.log" 2>&1; then
		tail -5 "$logdir/build-kernel.log"
		echo "vm: cannot build the iommufd test kernels (log: $logdir/build-kernel.log)" >&2
		exit 1
	fi
fi

for k in $kernels; do
	for t in tests/vm/smoke.sh tests/vm/t-*.sh; do
		[ -e "$t" ] || continue
		[ -n "$only" ] && [[ $t != *"$only"* ]] && continue
		ks=$(header "$t" vm-kernels)
		[ -n "$ks" ] && [[ " $ks " != *" $k "* ]] && continue
		name=$(basename "$t" .sh)
		log=$logdir/$name-$k.log
		eval "args=($(header "$t" vm-args))"
		echo "--- $name on $k ${args[*]}"
		tests/vm/run-guest.sh --kernel "$k" --script "$t" --quiet --log "$log.console" \
			"${args[@]}" >"$log" 2>&1
		rc=$?
		sed 's/^/    /' "$log"
		if [ $rc -ne 0 ] || grep -q '^not ok' "$log" || grep -q '# SKIP' "$log" || ! grep -q '^1\.\.[1-9]' "$log"; then
			echo "--- $name on $k: FAILED (rc=$rc; console: $log.console)"
			fail=$((fail + 1)); failed+=("$name@$k")
			# Repeated at the end, where a log's tail (all CI keeps) still shows it.
			why=$(grep -m5 -e '^not ok' -e '# SKIP' -e '^run-guest:' "$log" | tr '\n' ';')
			[ -n "$why" ] || why="rc=$rc, no plan line; last: $(tail -n1 "$log")"
			details+=("$name@$k: $why")
		else
			pass=$((pass + 1))
		fi
	done
done
[ $((pass + fail)) -gt 0 ] || { echo "vm: no guest scripts ran" >&2; exit 1; }
if [ $fail -gt 0 ]; then
	echo "vm failures: ${failed[*]}"
	printf '  %s\n' "${details[@]}"
fi
echo "vm: $pass passed, $fail failed"
[ $fail -eq 0 ]
