# Helpers for host tests (bash).  TAP-style lines; ht_done fails the test on any failure.
HT_N=0 HT_FAIL=0
BIN=${BIN:-$PWD/vfio-pinctl}
MEMPROC=${MEMPROC:-$PWD/tests/host/memproc}
HT_TMP=$(mktemp -d)
HT_PIDS=()
HT_HUGEPAGES_SAVED=

ht_cleanup() {
	local p
	for p in "${HT_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	[ -n "$HT_HUGEPAGES_SAVED" ] && echo "$HT_HUGEPAGES_SAVED" >/proc/sys/vm/nr_hugepages
	rm -rf "$HT_TMP"
}
trap ht_cleanup EXIT

ht_ok() {  # ht_ok DESC CMD...
	local d=$1; shift
	HT_N=$((HT_N + 1))
	if "$@" >/dev/null; then echo "ok $HT_N - $d"; else echo "not ok $HT_N - $d"; HT_FAIL=$((HT_FAIL + 1)); fi
}

ht_eq() {  # ht_eq DESC GOT WANT
	HT_N=$((HT_N + 1))
	if [ "$2" = "$3" ]; then echo "ok $HT_N - $1"
	else echo "not ok $HT_N - $1: got '$2', want '$3'"; HT_FAIL=$((HT_FAIL + 1)); fi
}

# ht_expect DESC RC REGEX CMD...: CMD exits RC with one line on stderr matching REGEX.
ht_expect() {
	local desc=$1 want=$2 re=$3; shift 3
	"$@" >"$HT_TMP/out" 2>"$HT_TMP/err"
	local rc=$?
	ht_eq "$desc: exit $want" "$rc" "$want"
	ht_eq "$desc: one line on stderr" "$(wc -l <"$HT_TMP/err")" 1
	ht_ok "$desc: message says '$re'" grep -qE "$re" "$HT_TMP/err"
}

ht_done() {
	echo "1..$HT_N"
	[ "$HT_FAIL" -eq 0 ]
}

ht_need_root() {
	[ "$(id -u)" -eq 0 ] || { echo "not ok - this test needs root (pfns and /proc/kpageflags); run make check as root"; exit 1; }
}

# Reserve at least N 2 MiB huge pages for this test, restored on exit.
ht_hugepages() {
	local want=$1 cur
	cur=$(cat /proc/sys/vm/nr_hugepages)
	HT_HUGEPAGES_SAVED=$cur
	echo $((cur + want)) >/proc/sys/vm/nr_hugepages
	local free
	free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
	[ "$free" -ge "$want" ] || { echo "not ok - could not reserve $want huge pages (free $free)"; exit 1; }
}

# Start memproc with the given options; sets MP_PID and MP_OUT (its region lines).
ht_memproc() {
	MP_OUT=$HT_TMP/memproc.$RANDOM
	: >"$MP_OUT"
	"$MEMPROC" "$@" >"$MP_OUT" 2>"$MP_OUT.err" &
	MP_PID=$!
	HT_PIDS+=("$MP_PID")
	local i
	for i in $(seq 100); do
		grep -q '^ready' "$MP_OUT" && return 0
		kill -0 "$MP_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "not ok - memproc $* did not start: $(cat "$MP_OUT.err")"
	exit 1
}

# The start address of memproc's region of a type (first one).
mp_start() { jq -r "select(.type==\"$1\") | .start" <"$MP_OUT" 2>/dev/null | head -1; }
mp_field() { jq -r "select(.type==\"$1\") | .$2" <"$MP_OUT" 2>/dev/null | head -1; }
# A field of the vma that starts at ADDR in an inspect --json report.
vma_field() { jq -r --arg s "$2" ".vmas[] | select(.start==\$s) | .$3" "$1"; }
# VmLck of a pid in bytes, read independently of vfio-pinctl.
status_bytes() { awk -v k="$2:" '$1==k {print $2 * 1024}' "/proc/$1/status"; }
