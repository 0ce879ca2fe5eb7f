# qemu-lib.sh — run Debian's qemu-system-x86_64 as a real VMM inside the test guest
# (busybox ash; POSIX sh only). In the guest it is /vmtest/qemu-lib.sh; source it after
# /vmtest/lib.sh. A script that uses it passes, in its "# vm-args:" line, the QEMU binary,
# its TCG accelerator module and its firmware:
#   --file /usr/bin/qemu-system-x86_64
#   --file /usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so:/usr/lib/x86_64-linux-gnu/qemu/accel-tcg-x86_64.so
#   --file /usr/share/seabios/bios-256k.bin:/usr/share/seabios/bios-256k.bin
#   --file /usr/share/qemu/kvmvapic.bin:/usr/share/qemu/kvmvapic.bin
#   --file tests/vm/qemu-lib.sh:/vmtest/qemu-lib.sh
# (Debian builds TCG as a module: without accel-tcg-x86_64.so QEMU stops with "could not
# load module for type 'tcg-accel-ops'". The guest has no KVM: TCG inside TCG.)
#
# One QEMU at a time. It starts paused (-S): QEMU realizes vfio-pci, and so maps all of
# guest RAM for DMA, before it would run a single guest instruction, so a paused QEMU
# holds exactly what a booted one pins at start. Its QMP monitor is a pipe chardev
# ($VT_TMP/NAME.qmp.in and .out, fifos: busybox has no unix-socket client).
#
#   vq_start NAME ARG...   start QEMU (-S -nodefaults -display none -accel tcg plus ARGs);
#                          wait until QMP answers. 0: up, VQ_PID is its pid. 1: QEMU
#                          exited (VQ_RC its exit code, its stderr in $VT_TMP/NAME.qerr).
#                          VQ_USER: run it as this user[:group] (no capabilities);
#                          VQ_MEMLOCK: its RLIMIT_MEMLOCK in KiB (soft and hard);
#                          VQ_WAIT: seconds to wait (default 120).
#   vq_qmp JSON            one QMP command; prints its one-line answer.
#   vq_hmp CMD             one HMP command through QMP; prints its text.
#   vq_stop                quit QEMU and wait for it (kill -9 after 20 s).

VQ_PID="" VQ_RC="" VQ_NAME="" VQ_SEQ=0

_vq_fifos() {
	rm -f "$VT_TMP/$1.qmp.in" "$VT_TMP/$1.qmp.out"
	mkfifo -m 666 "$VT_TMP/$1.qmp.in" "$VT_TMP/$1.qmp.out"
}

vq_start() {
	VQ_NAME=$1
	shift
	_vq_fifos "$VQ_NAME"
	: >"$VT_TMP/$VQ_NAME.qmp.log"
	# Both ends read-write (<>): opening a fifo that way never blocks, so a QEMU that dies
	# before it opens its chardev cannot hang us.
	cat <>"$VT_TMP/$VQ_NAME.qmp.out" >>"$VT_TMP/$VQ_NAME.qmp.log" &
	_VQ_CAT=$!
	exec 7<>"$VT_TMP/$VQ_NAME.qmp.in"
	(
		# busybox ash's ulimit sets the soft and the hard limit.
		[ -z "${VQ_MEMLOCK:-}" ] || ulimit -l "$VQ_MEMLOCK" || exit 125
		set -- -S -nodefaults -display none -accel tcg \
			-chardev "pipe,id=vqmp,path=$VT_TMP/$VQ_NAME.qmp" -mon chardev=vqmp,mode=control "$@"
		[ -n "${VQ_USER:-}" ] || exec qemu-system-x86_64 "$@"
		# Another user: busybox's setpriv here cannot change uids, su would need the
		# arguments quoted into one string; start-stop-daemon -c setuid()s (which empties
		# the capability sets: no CAP_IPC_LOCK) and execs in this process, so VQ_PID stays
		# QEMU's pid. (-p: a pidfile nobody writes, so it never finds QEMU "already running".)
		exec start-stop-daemon -S -c "$VQ_USER" -p "$VT_TMP/$VQ_NAME.nopid" \
			-x "$(command -v qemu-system-x86_64)" -- "$@"
	) </dev/null >"$VT_TMP/$VQ_NAME.qout" 2>"$VT_TMP/$VQ_NAME.qerr" &
	VQ_PID=$!
	echo '{"execute":"qmp_capabilities"}' >&7
	echo "# vq_start $VQ_NAME (pid $VQ_PID${VQ_USER:+, user $VQ_USER}${VQ_MEMLOCK:+, ulimit -l $VQ_MEMLOCK}): qemu-system-x86_64 $*"
	if vq_qmp '{"execute":"query-status"}' >"$VT_TMP/$VQ_NAME.status"; then
		return 0
	fi
	vq_stop
	return 1
}

# vq_qmp JSON: send one command (an "id" is added) and print its answer line. Returns 1
# when QEMU exits or VQ_WAIT passes first.
vq_qmp() {
	[ -n "$VQ_PID" ] || return 1 # (kill -0 "" would signal our own process group)
	# The sequence lives in a file: vq_hmp calls us in a pipeline (a subshell), where a
	# shell variable's increment is lost and the next command would reuse an id.
	VQ_SEQ=$(($(cat "$VT_TMP/.vq_seq" 2>/dev/null || echo 0) + 1))
	echo "$VQ_SEQ" >"$VT_TMP/.vq_seq"
	_vq_id="vq$VQ_SEQ"
	echo "${1%\}},\"id\":\"$_vq_id\"}" >&7
	_vq_i=0
	while :; do
		_vq_line=$(grep -F "\"id\": \"$_vq_id\"" "$VT_TMP/$VQ_NAME.qmp.log" | head -n 1)
		if [ -n "$_vq_line" ]; then
			printf '%s\n' "$_vq_line" | tr -d '\r'
			return 0
		fi
		kill -0 "$VQ_PID" 2>/dev/null || return 1
		[ "$_vq_i" -lt "$((${VQ_WAIT:-120} * 4))" ] || return 1
		_vq_i=$((_vq_i + 1))
		sleep 0.25
	done
}

# vq_hmp CMD: the text of an HMP command (e.g. "info mtree -f").
vq_hmp() {
	vq_qmp "{\"execute\":\"human-monitor-command\",\"arguments\":{\"command-line\":\"$1\"}}" |
		jq -r '.return'
}

vq_stop() {
	if [ -n "$VQ_PID" ] && kill -0 "$VQ_PID" 2>/dev/null; then
		echo '{"execute":"quit"}' >&7
		_vq_i=0
		while kill -0 "$VQ_PID" 2>/dev/null && [ "$_vq_i" -lt 80 ]; do
			sleep 0.25
			_vq_i=$((_vq_i + 1))
		done
		kill -9 "$VQ_PID" 2>/dev/null
	fi
	[ -z "$VQ_PID" ] || { wait "$VQ_PID"; VQ_RC=$?; }
	exec 7>&-
	[ -z "${_VQ_CAT:-}" ] || kill "$_VQ_CAT" 2>/dev/null
	[ -z "${_VQ_CAT:-}" ] || wait "$_VQ_CAT" 2>/dev/null
	VQ_PID="" _VQ_CAT=""
	return 0
}

# vq_ramblock NAME: the used size in bytes of RAM block NAME from "info ramblock".
vq_ramblock() {
	# Block Name, PSize (2 words), Offset, Used, Total
	_vq_hex=$(vq_hmp "info ramblock" | awk -v n="$1" '$1 == n { print $5 }')
	[ -n "$_vq_hex" ] || return 1
	printf '%d\n' "$_vq_hex"
}

# vq_mtree_bytes FILE KIND: the bytes of the "(prio N, KIND)" sections (ram, rom) of the
# flat view that AS "memory" renders in an "info mtree -f" dump: what QEMU maps for DMA
# when no vIOMMU stands in front of the device.
vq_mtree_bytes() {
	_vq_sum=0
	for _vq_r in $(awk -v k="$2" '
		/^FlatView/ { mem = 0; next }
		/^ AS "memory"/ { mem = 1; next }
		mem && $2 == "(prio" && $4 == k "):" { print $1 }' "$1"); do
		_vq_sum=$((_vq_sum + 0x${_vq_r#*-} - 0x${_vq_r%-*} + 1))
	done
	echo "$_vq_sum"
}

# vq_smaps PID START FIELD: a kB field of the smaps entry of the vma at START (hex, no 0x).
vq_smaps() {
	awk -v s="$2" -v f="$3:" '
		/^[0-9a-f]+-[0-9a-f]+ / { split($1, a, "-"); cur = (a[1] == s); next }
		cur && $1 == f { print $2; exit }' "/proc/$1/smaps"
}

# vq_dma_charge MTREE: the bytes type1 charges for one context of a paused QEMU: its RAM
# sections, plus its ROM sections from 6.2 on. (vfio-pci realize maps them before QEMU's
# first reset writes the firmware in, so the ROM pages are untouched: a read-only long-term
# pin of one takes the shared zero page, uncharged, before 6.2; from 6.2 GUP unshares it into
# a fresh, charged page. Measured: 6.1 261888 kB, 6.12 262400 kB for -m 256M.)
vq_dma_charge() {
	_vq_c=$(vq_mtree_bytes "$1" ram)
	! vt_kver_ge 6 2 || _vq_c=$((_vq_c + $(vq_mtree_bytes "$1" rom)))
	echo "$_vq_c"
}

# vq_capture_replay DESC PID: capture PID (GNU tar at $TAR unpacks it) and check that
# inspect --json and check --pid --json replayed from the archive say what they say live.
# A running process is not frozen: khugepaged collapses its anonymous memory into THPs (THP
# is "always" in the guest; every 10 s a pass, the collapse counter moves in the first
# minute of a QEMU), its RCU thread frees what a monitor command allocated. So khugepaged is
# sent to sleep for the capture (one last pass may follow the write), the live report is
# taken before and after it, and the replay is compared only with a capture the two agree
# around (three tries; the changes are shown if it never settles).
VQ_KHP=/sys/kernel/mm/transparent_hugepage/khugepaged
vq_capture_replay() {
	_vq_t=$VT_TMP/vq-capture
	_vq_sleep=$(cat "$VQ_KHP/scan_sleep_millisecs")
	echo 3600000 >"$VQ_KHP/scan_sleep_millisecs"
	sleep 1
	for _vq_try in 1 2 3; do
		rm -rf "$_vq_t" "$_vq_t.tar.gz"
		mkdir -p "$_vq_t"
		vfio-pinctl inspect --json "$2" | jq -S 'del(.scan)' >"$_vq_t.before"
		vfio-pinctl capture "$2" -o "$_vq_t.tar.gz" >/dev/null 2>"$_vq_t.err" || {
			vt_fail "$1: capture exits 0" "$(cat "$_vq_t.err")"
			echo "$_vq_sleep" >"$VQ_KHP/scan_sleep_millisecs"
			return 1
		}
		vfio-pinctl inspect --json "$2" | jq -S 'del(.scan)' >"$_vq_t.after"
		diff "$_vq_t.before" "$_vq_t.after" >"$_vq_t.moved" && break
		vt_diag "$1: the process changed while it was captured (try $_vq_try; khugepaged collapsed $(cat "$VQ_KHP/pages_collapsed") so far):" \
			"$(grep '^[-+] ' "$_vq_t.moved" | head -n 12 | tr -s ' \n' ' ')"
	done
	echo "$_vq_sleep" >"$VQ_KHP/scan_sleep_millisecs"
	if [ -s "$_vq_t.moved" ]; then
		vt_fail "$1: the process stood still around one of 3 captures" "changes:"
		_vt_show diff "$_vq_t.moved"
		return 1
	fi
	$TAR -xzf "$_vq_t.tar.gz" -C "$_vq_t"
	vfio-pinctl --sysroot "$_vq_t" inspect --json "$2" | jq -S 'del(.scan)' >"$_vq_t.replay"
	vt_ok "$1: inspect --json: replay == live" diff "$_vq_t.after" "$_vq_t.replay"
	vfio-pinctl check --pid "$2" --json | jq -S 'del(.timestamp)' >"$_vq_t.clive"
	vfio-pinctl --sysroot "$_vq_t" check --pid "$2" --json | jq -S 'del(.timestamp)' >"$_vq_t.creplay"
	vt_ok "$1: check --pid --json: replay == live" diff "$_vq_t.clive" "$_vq_t.creplay"
}

# vq_mtree_sections FILE: how many ram and rom sections AS "memory" renders: the DMA
# mappings (one VFIO_IOMMU_MAP_DMA each) QEMU makes per context without a vIOMMU.
vq_mtree_sections() {
	awk '/^FlatView/ { mem = 0; next } /^ AS "memory"/ { mem = 1; next }
		mem && $2 == "(prio" && ($4 == "ram):" || $4 == "rom):") { n++ } END { print n + 0 }' "$1"
}
