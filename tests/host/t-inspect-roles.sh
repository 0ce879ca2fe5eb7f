#!/bin/bash
# inspect names what a real QEMU (Debian's qemu-system-x86_64, started here with -S: no
# guest code runs, its RAM blocks are all allocated) does with its vmas, from its own
# command line: guest RAM on anonymous memory, on a memfd backend and on hugetlbfs
# (-mem-path), its pc.rom and pc.bios (the size of the SeaBIOS file it loads), and the
# same roles from a capture replayed with --sysroot.  Sizes are asserted against the
# QEMU's own /proc/PID/smaps and the firmware file, not against inspect.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
ht_need_root
Q=$(command -v qemu-system-x86_64) || { echo "not ok - qemu-system-x86_64 missing: tests/install-deps.sh installs qemu-system-x86"; exit 1; }
BIOS=/usr/share/seabios/bios-256k.bin
[ -r "$BIOS" ] || { echo "not ok - $BIOS missing (Debian's seabios, a dependency of qemu-system-x86)"; exit 1; }
M=$((1024 * 1024))

start_qemu() {  # start_qemu ARGS...: sets QP; waits until its RAM is mapped
	"$Q" -S -display none -nodefaults -machine pc -monitor none -serial none "$@" 2>"$HT_TMP/qemu.err" &
	QP=$!
	HT_PIDS+=("$QP")
	local i
	for i in $(seq 100); do
		grep -q ' dc ' <(grep VmFlags "/proc/$QP/smaps" 2>/dev/null) && [ "$(grep -c ' dc ' "/proc/$QP/smaps")" -ge 5 ] && return 0
		kill -0 "$QP" 2>/dev/null || break
		sleep 0.1
	done
	echo "not ok - qemu $* did not start: $(cat "$HT_TMP/qemu.err")"
	exit 1
}
stop_qemu() { kill "$QP"; wait "$QP" 2>/dev/null; }
# roles FILE ROLE: "start size path" of each vma of that role in an inspect --json report.
roles() { jq -r --arg r "$2" '.vmas[] | select(.role==$r) | "\(.start) \(.mapped_bytes) \(.path)"' "$1"; }
# The size of the vma starting at START in the QEMU's own smaps (Size: line, kB -> bytes).
smaps_size() { awk -v s="${2#0x}" '$1 ~ "^"s"-" {f=1; next} f && /^Size:/ {print $2 * 1024; exit}' "/proc/$1/smaps"; }

# 1. anonymous RAM (-m), the pc machine's pc.rom and pc.bios.
start_qemu -m 64
J=$HT_TMP/anon.json
"$BIN" inspect --json "$QP" >"$J"
ht_eq "inspect exits 0" "$?" 0
ram=$(roles "$J" guest-ram)
ht_eq "one guest-ram vma" "$(echo "$ram" | grep -c .)" 1
ht_eq "... of -m 64 (its smaps Size)" "$(smaps_size "$QP" "${ram%% *}")" $((64 * M))
ht_eq "... anonymous" "$(echo "$ram" | cut -d' ' -f3-)" ""
rom=$(roles "$J" rom | cut -d' ' -f2 | sort -n | tr '\n' ' ')
ht_eq "rom vmas: pc.rom 128K and pc.bios = the size of $BIOS" "$rom" "131072 $(stat -L -c %s "$BIOS") "
ht_eq "no VFIO device on its line: no context" "$(jq .memlock.vmlck_explained.contexts "$J")" 0
ht_eq "no bar role without a VFIO device" "$(roles "$J" bar)" ""
ht_ok "the text summary names the roles" grep -q "^vmm:      qemu, from its command line: guest-ram 64M rom 384K" \
	<("$BIN" inspect -s "$QP")

# 2. capture + replay: the same roles (capture keeps the firmware file inspect sized as a
# hole of its size, no contents).
A=$HT_TMP/cap.tar.gz T=$HT_TMP/tree
"$BIN" capture "$QP" -o "$A" 2>/dev/null
ht_eq "capture exits 0" "$?" 0
mkdir "$T" && tar -xzf "$A" -C "$T"
"$BIN" --sysroot "$T" inspect --json "$QP" >"$HT_TMP/replay.json"
ht_ok "replayed roles == live roles" diff <(jq -c '[.vmas[] | [.start, .role]]' "$J") \
	<(jq -c '[.vmas[] | [.start, .role]]' "$HT_TMP/replay.json")
fw=$T/usr/share/seabios/bios-256k.bin
ht_eq "the archive's SeaBIOS: its size" "$(stat -c %s "$fw")" "$(stat -L -c %s "$BIOS")"
ht_eq "... and none of its contents (all zero)" "$(tr -d '\0' <"$fw" | wc -c)" 0
ht_ok "replayed vmlck_explained == live" diff <(jq -S .memlock.vmlck_explained "$J") \
	<(jq -S .memlock.vmlck_explained "$HT_TMP/replay.json")
stop_qemu

# 3. a memfd backend as the machine's RAM.
start_qemu -m 64 -object memory-backend-memfd,id=m0,size=64M -machine memory-backend=m0
J=$HT_TMP/memfd.json
"$BIN" inspect --json "$QP" >"$J"
ram=$(roles "$J" guest-ram)
ht_eq "memfd: one guest-ram vma" "$(echo "$ram" | grep -c .)" 1
ht_eq "memfd: it maps /memfd:memory-backend-memfd" "$(echo "$ram" | cut -d' ' -f3-)" "/memfd:memory-backend-memfd (deleted)"
ht_eq "memfd: of the backend's size" "$(smaps_size "$QP" "${ram%% *}")" $((64 * M))
stop_qemu

# 4. -mem-path on hugetlbfs.
ht_hugepages 16
HD=$HT_TMP/huge
# QEMU first (it holds the file open), then the mount, then lib.sh's cleanup.
trap 'for p in "${HT_PIDS[@]}"; do kill "$p"; wait "$p"; done 2>/dev/null; umount "$HD" 2>/dev/null; ht_cleanup' EXIT
mkdir -p "$HD" && mount -t hugetlbfs -o pagesize=2M none "$HD" || { echo "not ok - cannot mount hugetlbfs"; exit 1; }
start_qemu -m 32 -mem-path "$HD"
J=$HT_TMP/huge.json
"$BIN" inspect --json "$QP" >"$J"
ram=$(roles "$J" guest-ram)
ht_eq "mem-path: one guest-ram vma" "$(echo "$ram" | grep -c .)" 1
ht_ok "mem-path: a file QEMU made in $HD" grep -q " $HD/qemu_back_mem\." <<<"$ram"
ht_ok "mem-path: hugetlb (VmFlags ht)" jq -e --arg s "${ram%% *}" '.vmas[] | select(.start==$s) | .vmflags | index("ht")' "$J"
stop_qemu
umount "$HD"
ht_done
