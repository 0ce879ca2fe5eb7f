# lib.sh — helpers for guest test scripts (busybox ash; POSIX sh only).
#
# In the guest this file is /vmtest/lib.sh; a test script starts with
#     . /vmtest/lib.sh
# and ends with
#     vt_done
# Each check prints one TAP line, "ok N - desc" or "not ok N - desc",
# followed on failure by "#" diagnostic lines. vt_done prints the plan
# "1..N" and returns non-zero if any check failed (or none ran), so
# `vt_done` as the last command makes the script's exit code the verdict.
#
# The counters live in shell variables: call checks from the main shell,
# not from a pipeline or $(...) (a subshell's counts are lost).
#
# All names start with vt_ (functions), VT_ (settings/results) or _vt_
# (scratch: POSIX sh has no local variables).

VT_N=${VT_N:-0}           # checks so far
VT_FAILED=${VT_FAILED:-0} # failed checks so far
VT_LOG_LINES=${VT_LOG_LINES:-100} # lines of output echoed per stream
VT_TMP=${VT_TMP:-/tmp}    # where vt_run leaves NAME.{out,err,rc}

# ---- reporting primitives ------------------------------------------------

# vt_diag MSG...: a diagnostic line (ignored by TAP readers).
vt_diag() { echo "# $*"; }

# Print FILE as diagnostic lines with PREFIX, at most VT_LOG_LINES of them.
_vt_show() {
	[ -s "$2" ] || return 0
	_vt_lines=$(wc -l <"$2")
	head -n "$VT_LOG_LINES" "$2" | while IFS= read -r _vt_line || [ -n "$_vt_line" ]; do
		printf '#   %s: %s\n' "$1" "$_vt_line"
	done
	# A last line without a newline is not counted by wc.
	[ "$(tail -c1 "$2" | wc -l)" -eq 1 ] || _vt_lines=$((_vt_lines + 1))
	[ "$_vt_lines" -le "$VT_LOG_LINES" ] ||
		echo "#   $1: ... ($((_vt_lines - VT_LOG_LINES)) more lines)"
}

# vt_pass DESC
vt_pass() {
	VT_N=$((VT_N + 1))
	echo "ok $VT_N - $1"
	return 0
}

# vt_fail DESC [DIAG...]: record a failure; each DIAG becomes a "#" line.
vt_fail() {
	VT_N=$((VT_N + 1))
	VT_FAILED=$((VT_FAILED + 1))
	echo "not ok $VT_N - $1"
	shift
	for _vt_d in "$@"; do
		echo "#   $_vt_d"
	done
	return 1
}

# vt_skip DESC REASON
vt_skip() {
	VT_N=$((VT_N + 1))
	echo "ok $VT_N - $1 # SKIP $2"
}

# vt_bail MSG: give up on the whole script (TAP "Bail out!"), exit 1.
vt_bail() {
	echo "Bail out! $*"
	exit 1
}

# vt_done: print the plan; return 1 if any check failed or none ran.
vt_done() {
	echo "1..$VT_N"
	if [ "$VT_N" -eq 0 ]; then
		echo "# no checks ran"
		return 1
	fi
	echo "# $((VT_N - VT_FAILED)) of $VT_N checks passed"
	[ "$VT_FAILED" -eq 0 ]
}

# ---- checks ---------------------------------------------------------------

# vt_ok DESC CMD...: passes when CMD exits 0; shows its output if not.
vt_ok() {
	_vt_desc=$1
	shift
	"$@" >"$VT_TMP/.vt_ok.out" 2>&1
	_vt_rc=$?
	if [ "$_vt_rc" -eq 0 ]; then
		vt_pass "$_vt_desc"
	else
		vt_fail "$_vt_desc" "command: $*" "exit code: $_vt_rc"
		_vt_show output "$VT_TMP/.vt_ok.out"
		return 1
	fi
}

# vt_fails DESC CMD...: passes when CMD exits non-zero (an expected error).
vt_fails() {
	_vt_desc=$1
	shift
	"$@" >"$VT_TMP/.vt_ok.out" 2>&1
	_vt_rc=$?
	if [ "$_vt_rc" -ne 0 ]; then
		vt_pass "$_vt_desc"
	else
		vt_fail "$_vt_desc" "command: $*" "exit code: 0, expected a failure"
		_vt_show output "$VT_TMP/.vt_ok.out"
		return 1
	fi
}

# vt_eq DESC GOT WANT: string equality.
vt_eq() {
	if [ "$2" = "$3" ]; then
		vt_pass "$1"
	else
		vt_fail "$1" "got:  '$2'" "want: '$3'"
	fi
}

# vt_ne DESC GOT UNWANTED
vt_ne() {
	if [ "$2" != "$3" ]; then
		vt_pass "$1"
	else
		vt_fail "$1" "got '$2', which it must not be"
	fi
}

# vt_cmp DESC A OP B: integer comparison, OP one of -eq -ne -lt -le -gt -ge,
# e.g. vt_cmp "VmLck grew by 4 MiB" "$delta" -eq 4096
vt_cmp() {
	case $3 in
	-eq | -ne | -lt | -le | -gt | -ge) ;;
	*)
		vt_fail "$1" "vt_cmp: bad operator '$3'"
		return 1
		;;
	esac
	if [ "$2" "$3" "$4" ] 2>/dev/null; then
		vt_pass "$1"
	else
		vt_fail "$1" "want: $2 $3 $4 (with integers)"
	fi
}

# vt_grep DESC FILE ERE: passes when an extended regex matches a line of FILE.
vt_grep() {
	if grep -E -q -e "$3" "$2" 2>/dev/null; then
		vt_pass "$1"
	else
		vt_fail "$1" "no line of $2 matches /$3/"
		_vt_show "$2" "$2"
		return 1
	fi
}

# vt_jq DESC FILE EXPR [JQ-OPTION...]: passes when `jq -e EXPR FILE` is true,
# e.g. vt_jq "map ok" /tmp/map.out '.mappings[0].size == 4194304'
#      vt_jq "named" /tmp/x.out '.name == $n' --arg n edu
vt_jq() {
	_vt_desc=$1 _vt_file=$2 _vt_expr=$3
	shift 3
	# jq -e on an empty file outputs nothing and exits 0: an empty report must fail.
	if [ -s "$_vt_file" ] && jq -e "$@" "$_vt_expr" "$_vt_file" >"$VT_TMP/.vt_jq.out" 2>&1; then
		vt_pass "$_vt_desc"
	else
		vt_fail "$_vt_desc" "jq -e '$_vt_expr' $_vt_file was not true"
		_vt_show "jq" "$VT_TMP/.vt_jq.out"
		_vt_show "$_vt_file" "$_vt_file"
		return 1
	fi
}

# vt_run NAME CMD...: run CMD with stdout, stderr and exit code captured in
# $VT_TMP/NAME.out, NAME.err, NAME.rc (also in $VT_RC), and echo them for the
# log. Returns CMD's exit code. Not a check: follow it with vt_eq/vt_jq...
#   vt_run map vfio-pinctl map --json ...
#   vt_eq "map exits 0" "$VT_RC" 0
#   vt_jq "map reports 4 MiB" "$VT_TMP/map.out" '.size == 4194304'
vt_run() {
	_vt_name=$1
	shift
	"$@" >"$VT_TMP/$_vt_name.out" 2>"$VT_TMP/$_vt_name.err"
	VT_RC=$?
	echo "$VT_RC" >"$VT_TMP/$_vt_name.rc"
	echo "# run $_vt_name: $* => rc=$VT_RC"
	_vt_show out "$VT_TMP/$_vt_name.out"
	_vt_show err "$VT_TMP/$_vt_name.err"
	return "$VT_RC"
}

# ---- facts about the guest ------------------------------------------------

# vt_status_kib PID FIELD: a "kB" field of /proc/PID/status as a number,
# e.g. vt_status_kib $pid VmLck. Prints nothing and returns 1 if absent.
vt_status_kib() {
	_vt_v=$(sed -n "s/^$2:[[:space:]]*\([0-9][0-9]*\) kB$/\1/p" "/proc/$1/status" 2>/dev/null)
	[ -n "$_vt_v" ] || return 1
	echo "$_vt_v"
}

# vt_vmlck PID / vt_vmpin PID: locked_vm / pinned_vm of PID in KiB.
# (type1 charges locked_vm, iommufd pinned_vm: see the design notes.)
# vt_wait_hold ERRFILE: the pid from a `map --hold` "holding ... in pid N;" line on its
# stderr, within 60 s; nothing (exit 1) when it never came.
vt_wait_hold() {
	_vt_i=0
	while [ $_vt_i -lt 120 ]; do
		_vt_p=$(sed -n 's/.*holding .* in pid \([0-9][0-9]*\);.*/\1/p' "$1")
		[ -n "$_vt_p" ] && { echo "$_vt_p"; return 0; }
		sleep 0.5
		_vt_i=$((_vt_i + 1))
	done
	return 1
}

vt_vmlck() { vt_status_kib "$1" VmLck; }
vt_vmpin() { vt_status_kib "$1" VmPin; }

# vt_kver_ge MAJOR MINOR: true when the running kernel is at least MAJOR.MINOR.
vt_kver_ge() {
	_vt_r=$(uname -r)
	_vt_maj=${_vt_r%%.*}
	_vt_min=${_vt_r#*.}
	_vt_min=${_vt_min%%[!0-9]*}
	[ "$_vt_maj" -gt "$1" ] || { [ "$_vt_maj" -eq "$1" ] && [ "$_vt_min" -ge "$2" ]; }
}

# vt_find_pci VENDOR DEVICE: BDFs of PCI devices with these ids (hex, no 0x),
# one a line, e.g. vt_find_pci 1234 11e8 (edu).
vt_find_pci() {
	for _vt_d in /sys/bus/pci/devices/*; do
		[ "$(cat "$_vt_d/vendor" 2>/dev/null)" = "0x$1" ] &&
			[ "$(cat "$_vt_d/device" 2>/dev/null)" = "0x$2" ] &&
			echo "${_vt_d##*/}"
	done
	return 0
}

# vt_driver_of BDF: the name of the driver bound to BDF (empty if none).
vt_driver_of() {
	_vt_l=$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null) || return 0
	echo "${_vt_l##*/}"
}

# vt_group_of BDF: the IOMMU group number of BDF; returns 1 if it has none.
vt_group_of() {
	_vt_l=$(readlink "/sys/bus/pci/devices/$1/iommu_group" 2>/dev/null) || return 1
	echo "${_vt_l##*/}"
}

# vt_bind_vfio BDF: bind BDF to vfio-pci (driver_override, unbind, probe).
# Prints why on failure and returns 1. Used by /init for vfio_bind=.
vt_bind_vfio() {
	_vt_dev=/sys/bus/pci/devices/$1
	if [ ! -d "$_vt_dev" ]; then
		echo "bind $1: no such PCI device"
		return 1
	fi
	[ "$(vt_driver_of "$1")" = vfio-pci ] && return 0
	if ! echo vfio-pci >"$_vt_dev/driver_override"; then
		echo "bind $1: cannot write driver_override"
		return 1
	fi
	if [ -e "$_vt_dev/driver" ] && ! echo "$1" >"$_vt_dev/driver/unbind"; then
		echo "bind $1: cannot unbind it from $(vt_driver_of "$1")"
		return 1
	fi
	# drivers_probe reports a failed probe only in the kernel log.
	echo "$1" >/sys/bus/pci/drivers_probe 2>/dev/null
	if [ "$(vt_driver_of "$1")" != vfio-pci ]; then
		echo "bind $1: vfio-pci did not take it (driver now: '$(vt_driver_of "$1")');" \
			"kernel log: $(dmesg | grep -E "vfio-pci.*$1" | tail -n 2 | tr '\n' ' ')"
		return 1
	fi
	return 0
}
