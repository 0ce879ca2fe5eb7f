#!/bin/bash
# run-guest.sh — run one guest test script in a QEMU (TCG) guest with real VFIO.
#
# usage: run-guest.sh --kernel 6.1|6.12|iommufd|iommufd-compat --script FILE [options]
#   --kernel K          6.1, 6.12: Debian's kernels (fetch-kernel.sh), VFIO as
#                       modules; iommufd: our 6.12 with type1 container + native
#                       iommufd, iommufd-compat: our 6.12 whose /dev/vfio/vfio is
#                       iommufd's (build-kernel.sh; built in, no modules)
#   --binary PATH       vfio-pinctl to test (default ./vfio-pinctl)
#   --file SRC[:DEST]   another file for the guest (repeatable; see mkinitrd.sh)
#   --no-iommu          no intel-iommu device, no intel_iommu=on; implies
#                       --bind none unless --bind is given
#   --mem SIZE          guest RAM (default 1G; 1G hugetlb pages need 4G)
#   --append "ARGS"     extra kernel command line (e.g. vmtest_hugepages=16,
#                       "hugepagesz=1G hugepages=1", vmtest_expect=noiommu)
#   --device SPEC       extra QEMU -device (repeatable)
#   --ivshmem SIZE      add an ivshmem-plain device whose BAR2 is SIZE
#   --bind BDF,..|none  devices /init binds to vfio-pci (default: edu)
#   --timeout SECONDS   whole-boot limit (default 120)
#   --log FILE          write the whole console there
#   --bzimage           boot vmlinuz even where fetch-kernel.sh left a
#                       vmlinux for the faster PVH entry (6.1)
#   -q, --quiet         no timing summary on stderr
#
# Streams the console lines between the guest's VMTEST-BEGIN and VMTEST-END
# markers to stdout and exits with the guest script's exit code. Harness
# failures print one "run-guest: ..." line and the last console lines on
# stderr and exit with: 2 usage, 3 boot/QEMU failure (no marker, panic,
# QEMU error), 4 guest setup failed (module load, device bind), 124 timeout.
set -Eeuo pipefail # -E: the ERR trap below also fires inside functions

prog=run-guest
# set -e must never end us silently: name the command that failed.
trap 'echo "$prog: unexpected failure (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

die() { echo "$prog: $*" >&2; exit "${2:-3}"; }
usage() {
	# The header comment is the help text.
	awk 'NR >= 3 && /^#/ { sub(/^# ?/, ""); print; next } NR >= 3 { exit }' "${BASH_SOURCE[0]}" >&2
	exit 2
}

parse_args() {
	KERNEL="" SCRIPT="" BINARY=./vfio-pinctl IOMMU=1 MEM=1G APPEND="" BIND=""
	TIMEOUT=120 LOG="" QUIET=0 IVSHMEM="" BZIMAGE=0 FILES=() DEVICES=()
	while [ $# -gt 0 ]; do
		[ $# -ge 2 ] || case $1 in --no-iommu | --bzimage | -q | --quiet | -h | --help) ;; *) die "$1 needs a value" 2 ;; esac
		case $1 in
		--kernel) KERNEL=$2; shift 2 ;;
		--script) SCRIPT=$2; shift 2 ;;
		--binary) BINARY=$2; shift 2 ;;
		--file) FILES+=(--file "$2"); shift 2 ;;
		--no-iommu) IOMMU=0; shift ;;
		--mem) MEM=$2; shift 2 ;;
		--append) APPEND+=" $2"; shift 2 ;;
		--device) DEVICES+=(-device "$2"); shift 2 ;;
		--ivshmem) IVSHMEM=$2; shift 2 ;;
		--bind) BIND=$2; shift 2 ;;
		--timeout) TIMEOUT=$2; shift 2 ;;
		--log) LOG=$2; shift 2 ;;
		--bzimage) BZIMAGE=1; shift ;;
		-q | --quiet) QUIET=1; shift ;;
		-h | --help) usage ;;
		*) die "unknown argument: $1 (see --help)" 2 ;;
		esac
	done
	case $KERNEL in
	6.1 | 6.12 | iommufd | iommufd-compat) ;;
	'') die "--kernel 6.1|6.12|iommufd|iommufd-compat is required" 2 ;;
	*) die "unknown --kernel $KERNEL (want 6.1, 6.12, iommufd or iommufd-compat)" 2 ;;
	esac
	[ -n "$SCRIPT" ] || die "--script FILE is required" 2
	[ -f "$SCRIPT" ] || die "guest script $SCRIPT not found" 2
	[ -f "$BINARY" ] && [ -x "$BINARY" ] ||
		die "binary $BINARY not found or not executable (run make, or pass --binary)" 2
	[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "--timeout wants whole seconds, got '$TIMEOUT'" 2
	[[ $BIND =~ ^([0-9a-fA-F:.,]*|none)$ ]] || die "--bind wants BDF[,BDF...] or none, got '$BIND'" 2
	# Without an IOMMU vfio-pci refuses every device (Debian has no
	# VFIO_NOIOMMU): binding would only fail the setup.
	[ "$IOMMU" -eq 1 ] || [ -n "$BIND" ] || BIND=none
	return 0
}

# The QEMU argument vector, in QEMU_ARGS.
build_qemu_args() {
	# no_timer_check: under host load TCG is slow enough that the kernel's
	# IO-APIC timer check fails and it panics ("timer doesn't work through
	# Interrupt-remapped IO-APIC"); the check tells us nothing about VFIO.
	local kdir=$1 initrd=$2 cmdline="console=ttyS0 panic=-1 quiet no_timer_check"
	QEMU_ARGS=(-accel tcg -machine q35,kernel-irqchip=split -cpu max -smp 1 -m "$MEM")
	if [ "$IOMMU" -eq 1 ]; then
		# caching-mode lets QEMU see every mapping change; intremap lets
		# type1 attach without allow_unsafe_interrupts.
		QEMU_ARGS+=(-device intel-iommu,intremap=on,caching-mode=on)
		cmdline="console=ttyS0 intel_iommu=on panic=-1 quiet no_timer_check"
	fi
	QEMU_ARGS+=(-device edu)
	if [ -n "$IVSHMEM" ]; then
		QEMU_ARGS+=(-object "memory-backend-ram,id=shm0,size=$IVSHMEM,share=on"
			-device ivshmem-plain,memdev=shm0)
	fi
	QEMU_ARGS+=("${DEVICES[@]}")
	[ -z "$BIND" ] || cmdline+=" vfio_bind=$BIND"
	cmdline+="$APPEND"
	# Same kernel either way; the ELF skips the bzImage's slow xz stub.
	# build-kernel.sh's kernels have only a bzImage.
	KIMAGE=$kdir/vmlinuz
	[ -s "$KIMAGE" ] || KIMAGE=$kdir/bzImage
	[ "$BZIMAGE" -eq 1 ] || [ ! -s "$kdir/vmlinux" ] || KIMAGE=$kdir/vmlinux
	QEMU_ARGS+=(-kernel "$KIMAGE" -initrd "$initrd" -append "$cmdline"
		-nographic -no-reboot)
}

now() { echo "${EPOCHREALTIME/[.,]/}"; } # microseconds
secs() { printf '%d.%d' $(($1 / 1000000)) $(($1 % 1000000 / 100000)); }

# Keep the last 20 console lines for error reports.
RING=() RING_N=0
remember() {
	RING[RING_N % 20]=$1
	RING_N=$((RING_N + 1))
}
dump_ring() {
	local i start=$((RING_N > 20 ? RING_N - 20 : 0))
	if [ "$RING_N" -eq 0 ]; then
		echo "$prog: the guest printed nothing" >&2
		return
	fi
	echo "$prog: last console lines:" >&2
	for ((i = start; i < RING_N; i++)); do
		echo "  | ${RING[i % 20]}" >&2
	done
}

# One console line: log it, track the markers, stream the test's part.
handle_line() {
	local line=${1%$'\r'}
	[ -z "$LOG" ] || printf '%s\n' "$line" >>"$LOG"
	remember "$line"
	case $STATE in
	boot)
		if [[ $line == VMTEST-BEGIN ]]; then
			STATE=test T_BEGIN=$(now)
			return
		fi
		[[ $line != *VMTEST-SETUP-FAILED:* ]] || SETUP_ERRORS+=("${line#*VMTEST-SETUP-FAILED: }")
		;;
	test)
		if [[ $line =~ ^VMTEST-END\ rc=([0-9]+)$ ]]; then
			STATE=done GUEST_RC=${BASH_REMATCH[1]} T_END=$(now)
			return
		fi
		printf '%s\n' "$line"
		;;
	esac
	# The end marker also closes a failed setup (no begin marker then).
	if [[ $STATE == boot && $line =~ ^VMTEST-END\ rc=([0-9]+)$ ]]; then
		STATE=done GUEST_RC=${BASH_REMATCH[1]} T_END=$(now) T_BEGIN=$(now)
	fi
	[[ $line != *"Kernel panic - not syncing"* ]] || PANIC=${line#*Kernel panic - not syncing: }
	[[ ! $line =~ (BUG:|Oops:|WARNING:\ CPU:|general\ protection) ]] || KERNEL_TROUBLE=$line
	return 0
}

# Read the console until QEMU exits, the deadline passes, or it lingers
# after the end marker. Sets TIMED_OUT.
pump_console() {
	local fd=$1 deadline=$2 line="" part="" grace_end=""
	TIMED_OUT=0
	while :; do
		if IFS= read -r -t 1 -u "$fd" part; then
			handle_line "$line$part"
			line=""
		else
			local st=$?
			# On timeout read keeps the partial line in part.
			line+=$part
			if [ "$st" -le 128 ]; then # EOF: QEMU is gone
				[ -z "$line" ] || handle_line "$line"
				return
			fi
		fi
		if [ "$STATE" = done ]; then
			# poweroff -f is quick; don't wait on a guest that hangs in it.
			: "${grace_end:=$(($(now) + 10000000))}"
			[ "$(now)" -lt "$grace_end" ] || return
		elif [ "$(now)" -ge "$deadline" ]; then
			TIMED_OUT=1
			return
		fi
	done
}

stop_qemu() {
	[ -n "${QEMU_PID:-}" ] || return 0
	kill "$QEMU_PID" 2>/dev/null || true
	wait "$QEMU_PID" 2>/dev/null || true
	QEMU_PID=""
}

cleanup() {
	stop_qemu
	rm -rf "$WORK"
}

report_failure() {
	echo "$prog: $1" >&2
	dump_ring
	exit "$2"
}

main() {
	parse_args "$@"
	command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not found (install qemu-system-x86)"

	local kdir kver modules=()
	case $KERNEL in
	iommufd | iommufd-compat)
		# Everything built in: no module tree in the initramfs.
		local variant=$KERNEL
		[ "$KERNEL" != iommufd ] || variant=type1+iommufd
		kdir=$("$here/build-kernel.sh" "$variant") || die "cannot get the $KERNEL kernel (build-kernel.sh failed, see above)"
		;;
	*)
		kdir=$("$here/fetch-kernel.sh" "$KERNEL") || die "cannot get the $KERNEL kernel (fetch-kernel.sh failed, see above)"
		modules=(--modules "$kdir/modules")
		;;
	esac
	kver=$(cat "$kdir/kver")

	WORK=$(mktemp -d)
	trap cleanup EXIT
	trap 'exit 130' INT TERM
	"$here/mkinitrd.sh" "$WORK/initrd.gz" --binary "$BINARY" --script "$SCRIPT" \
		"${modules[@]}" "${FILES[@]}" || die "cannot build the initramfs (mkinitrd.sh failed, see above)"
	build_qemu_args "$kdir" "$WORK/initrd.gz"
	[ -z "$LOG" ] || : >"$LOG" || die "cannot write log file $LOG" 2

	mkfifo "$WORK/console"
	local t0
	t0=$(now)
	qemu-system-x86_64 "${QEMU_ARGS[@]}" </dev/null >"$WORK/console" 2>"$WORK/qemu.err" &
	QEMU_PID=$!
	exec {con}<"$WORK/console"

	STATE=boot GUEST_RC="" PANIC="" KERNEL_TROUBLE="" SETUP_ERRORS=() T_BEGIN="" T_END=""
	pump_console "$con" $((t0 + TIMEOUT * 1000000))
	exec {con}<&-
	local qemu_rc=0
	if [ "$STATE" != done ] || [ "$TIMED_OUT" -eq 1 ]; then
		kill "$QEMU_PID" 2>/dev/null || true
	fi
	wait "$QEMU_PID" || qemu_rc=$?
	QEMU_PID=""
	local t1
	t1=$(now)
	if [ -s "$WORK/qemu.err" ] && [ -n "$LOG" ]; then
		sed 's/^/qemu: /' "$WORK/qemu.err" >>"$LOG"
	fi

	[ -z "$KERNEL_TROUBLE" ] || echo "$prog: warning: the guest kernel complained: $KERNEL_TROUBLE" >&2
	if [ "$STATE" != done ]; then
		local where="before the begin marker (boot)"
		[ "$STATE" = boot ] || where="after the begin marker, without the end marker"
		[ "$TIMED_OUT" -eq 0 ] || report_failure "timed out after ${TIMEOUT}s $where ($kver)" 124
		[ -z "$PANIC" ] || report_failure "guest kernel panic $where: $PANIC ($kver)" 3
		if [ "$qemu_rc" -ne 0 ] && [ -s "$WORK/qemu.err" ]; then
			report_failure "qemu failed (exit $qemu_rc): $(head -n1 "$WORK/qemu.err")" 3
		fi
		if [ "$STATE" = boot ]; then
			report_failure "the guest stopped before the begin marker: boot failed ($kver)" 3
		fi
		report_failure "the guest stopped without an end marker: the test or the guest died ($kver)" 3
	fi
	if [ ${#SETUP_ERRORS[@]} -gt 0 ]; then
		local IFS=';'
		echo "$prog: guest setup failed ($kver): ${SETUP_ERRORS[*]}" >&2
		exit 4
	fi
	if [ "$QUIET" -eq 0 ]; then
		echo "$prog: $kver (${KIMAGE##*/}): rc=$GUEST_RC; boot $(secs $((T_BEGIN - t0)))s," \
			"test $(secs $((T_END - T_BEGIN)))s, total $(secs $((t1 - t0)))s" >&2
	fi
	exit "$GUEST_RC"
}

main "$@"
