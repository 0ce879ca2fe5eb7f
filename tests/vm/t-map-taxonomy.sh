# vm-args: $(tests/vm/taxonomy-files.sh "$k") --mem 2G --timeout 900 --append "memmap=128M!1280M memmap=128M!1536M secretmem.enable=1 vmtest_hugepages=4" --append no_timer_check
# vm-kernels: 6.1 6.12
# The pfn taxonomy, one boot per kernel: every map type of issue 11 on the real
# type1 container — the huge zero page, device-dax, fs-dax, PFNMAPs of RAM (vgem,
# udmabuf, dma-heap) and of reserved RAM (/dev/mem), KSM-merged pages, a
# MAP_PRIVATE memfd, a writeback file, secretmem.  For each: the kernel's errno,
# the charge, the pins and the pfn identity the tool predicted equal what it
# measured (agree), equal the table in the man page, and equal what this script
# reads itself: /proc/vmstat's pin counters (after stat_refresh), VmLck/VmPin
# of a holding process, its pagemap and /proc/kpageflags.  Device-dax's leak:
# the pins stay after unmap, munmap and close, and the tool said so.
# Setup: two legacy pmem regions (memmap=nn!ss, nd_e820), one made devdax and
# one fsdax with ndctl, ext4 -o dax on the latter, ext4 on a brd ramdisk, vgem,
# KSM running.
. /vmtest/lib.sh
VT_LOG_LINES=12

M4=4194304
K=$(uname -r)
if vt_kver_ge 6 2; then UNSHARE=1; else UNSHARE=0; fi
if vt_kver_ge 6 5; then WB_RW_REFUSED=1; else WB_RW_REFUSED=0; fi
vt_diag "kernel $K; R/O pins unshare: $UNSHARE; writeback write pins refused: $WB_RW_REFUSED"

# --- setup --------------------------------------------------------------------------
while read -r ko; do
	case $ko in brd.ko) opts="rd_nr=1 rd_size=65536" ;; *) opts="" ;; esac
	# shellcheck disable=SC2086
	if ! out=$(insmod "/lib/modules/extra/$ko" $opts 2>&1); then
		case $out in *"File exists"*) ;; *)
			# crc32c-intel needs SSE4.2: crc32c_generic serves ext4 without it.
			[ "$ko" = crc32c-intel.ko ] && { vt_diag "insmod $ko: $out"; continue; }
			vt_fail "insmod $ko: $out" ;;
		esac
	fi
done </lib/modules/extra/load.order
vt_ok "two legacy pmem regions from memmap=" test -e /sys/bus/nd/devices/region0 -a -e /sys/bus/nd/devices/region1
vt_run nsdax ndctl create-namespace -f -e namespace0.0 -m devdax -a 2M
vt_eq "ndctl: namespace0.0 becomes devdax" "$VT_RC" 0
vt_run nsfs ndctl create-namespace -f -e namespace1.0 -m fsdax
vt_eq "ndctl: namespace1.0 becomes fsdax" "$VT_RC" 0
DAX=$(ls /dev/dax* 2>/dev/null | head -1)
PMEM=$(sed -n 's/.*"blockdev":"\([^"]*\)".*/\1/p' /tmp/nsfs.out | head -1)
vt_ne "a device-dax node appeared" "$DAX" ""
vt_ne "a fsdax block device appeared" "$PMEM" ""
mkdir -p /mnt/dax /mnt/wb
vt_ok "ext4 on /dev/$PMEM" mkfs.ext4 -q -F -b 4096 "/dev/$PMEM"
vt_ok "mounted -o dax" mount -t ext4 -o dax "/dev/$PMEM" /mnt/dax
vt_ok "ext4 on the brd ramdisk" mkfs.ext4 -q -F /dev/ram0
vt_ok "mounted (writeback: a block device)" mount -t ext4 /dev/ram0 /mnt/wb
echo 0 >/sys/kernel/mm/ksm/sleep_millisecs
echo 10000 >/sys/kernel/mm/ksm/pages_to_scan
echo 1 >/sys/kernel/mm/ksm/run
vt_ok "vgem loaded" test -d /sys/module/vgem

# --- the script's own measurements ---------------------------------------------------
# pins_read: system-wide FOLL_PIN counters, exact after stat_refresh.
pins_read() {
	echo 1 >/proc/sys/vm/stat_refresh
	PA=$(sed -n 's/^nr_foll_pin_acquired //p' /proc/vmstat)
	PR=$(sed -n 's/^nr_foll_pin_released //p' /proc/vmstat)
}
# pme PID VADDR COUNT: pagemap entries (hex) of COUNT pages, one a line.
pme() {
	dd if="/proc/$1/pagemap" bs=8 skip=$(($2 / 4096)) count="$3" 2>/dev/null | od -An -v -t x8 | tr -s ' ' '\n' | grep -v '^$'
}
# kpf PFN: the kpageflags word (hex), empty at EOF.
kpf() {
	dd if=/proc/kpageflags bs=8 skip="$1" count=1 2>/dev/null | od -An -t x8 | tr -d ' '
}
pfn_of() { echo $((0x$1 & 0x7FFFFFFFFFFFFF)); }
bit() { echo $(((0x$1 >> $2) & 1)); }

# wait_hold ERRFILE: the pid from the "holding" line, within 120 s
wait_hold() {
	_i=0
	while [ $_i -lt 240 ]; do
		_p=$(sed -n 's/.*holding .* in pid \([0-9][0-9]*\);.*/\1/p' "$1")
		[ -n "$_p" ] && { echo "$_p"; return 0; }
		sleep 0.5
		_i=$((_i + 1))
	done
	return 1
}

# run NAME WANT_RC TYPESPEC [ENV...]: map one region, its report in /tmp/NAME.out,
# this script's own pin deltas around the whole process in DA/DR.
run() {
	_n=$1 _rc=$2 _t=$3
	shift 3
	pins_read
	_a=$PA _r=$PR
	vt_run "$_n" env "$@" vfio-pinctl map --json --type "$_t"
	vt_eq "$_n: exit $_rc" "$VT_RC" "$_rc"
	pins_read
	DA=$((PA - _a)) DR=$((PR - _r))
	vt_diag "$_n: vmstat pins +$DA -$DR around the process"
	[ "$_rc" -eq 9 ] && return 0
	vt_jq "$_n: predicted == measured (errno, charge, pins, pfns)" "/tmp/$_n.out" '.regions[0].agree'
	vt_jq "$_n: the pins were measured exactly (stat_refresh, nobody else pinning)" "/tmp/$_n.out" \
		'.final.pins_exact and .regions[0].pins.measured.taken_at_map != null'
	vt_jq "$_n: the tool's pin counts match this script's (map + unmap + free)" "/tmp/$_n.out" \
		"(.regions[0].pins.measured | .taken_at_map + .taken_at_unmap) + .final.pins_taken_by_alloc == $DA and
		 ((.regions[0].pins.measured | .released_at_map + .released_at_unmap) + .final.pins_released_after_free) == $DR"
}

# refused NAME TYPESPEC ERRNO [ENV...]: mapped nothing, pinned nothing, charged nothing
refused() {
	_n=$1 _t=$2 _e=$3
	shift 3
	run "$_n" 8 "$_t" "$@"
	vt_jq "$_n: the kernel answered $_e, as predicted" "/tmp/$_n.out" \
		".regions[0].error.errno == \"$_e\" and .regions[0].predicted.error == \"$_e\""
	vt_jq "$_n: nothing charged, nothing pinned" "/tmp/$_n.out" \
		'.regions[0].measured.vmlck_bytes == 0 and .regions[0].pins.measured.taken_at_map == 0'
	vt_jq "$_n: baseline restored" "/tmp/$_n.out" '.baseline_restored and .final.pins_leaked == 0'
}

# mapped NAME TYPESPEC CHARGE CHANGED_BYTES [ENV...]: OK, charged, pins balanced
mapped() {
	_n=$1 _t=$2 _c=$3 _ch=$4
	shift 4
	run "$_n" 0 "$_t" "$@"
	vt_jq "$_n: charged $_c bytes" "/tmp/$_n.out" ".regions[0].measured.vmlck_bytes == $_c and .regions[0].predicted.vmlck_bytes == $_c"
	vt_jq "$_n: pfns changed: $_ch bytes" "/tmp/$_n.out" ".regions[0].pfns_changed_bytes == $_ch"
	vt_jq "$_n: baseline restored, no pin leaked" "/tmp/$_n.out" '.baseline_restored and .final.pins_leaked == 0'
}

# --- each kind ---------------------------------------------------------------------
# The huge zero page: 6.1 pins the huge zero folio (not PG_reserved, charged); 6.12 unshares.
mapped hugezero hugezero $M4 $((M4 * UNSHARE))
vt_jq "hugezero: the pages were the huge zero folio" /tmp/hugezero.out \
	".regions[0].classes_before.zero_bytes == $M4 and .regions[0].classes_before.huge_zero_bytes == $M4"
vt_jq "hugezero: 1024 pins taken, 1024 given back" /tmp/hugezero.out \
	'.regions[0].pins.measured.taken_at_map == 1024 and .regions[0].pins.measured.released_at_unmap == 1024'

# Device-dax: mapped uncharged, 1024 pins taken, none given back.
run devdax 0 devdax
vt_jq "devdax: uncharged (PG_reserved ZONE_DEVICE pages)" /tmp/devdax.out \
	'.regions[0].measured.vmlck_bytes == 0 and .regions[0].classes_before.device_bytes == 4194304'
vt_jq "devdax: 1024 pins taken at map, none released at unmap, munmap or close" /tmp/devdax.out \
	'.regions[0].pins.measured.taken_at_map == 1024 and .regions[0].pins.measured.released_at_unmap == 0 and .final.pins_released_after_free == 0'
vt_jq "devdax: the leak is predicted and reported, never 'baseline restored'" /tmp/devdax.out \
	'.final.pins_leaked == 1024 and .final.pins_leaked_predicted == 1024 and (.baseline_restored | not)'
vt_cmp "devdax: this script's vmstat: +1024 pins acquired" "$DA" -eq 1024
vt_cmp "devdax: and none released, the process gone" "$DR" -eq 0
vt_run devdaxt vfio-pinctl map --type devdax:2M:ro
vt_eq "devdax text (ro): exit 0" "$VT_RC" 0
vt_grep "devdax text: the release line names the leak, not a restored baseline" /tmp/devdaxt.out \
	'pins leaked 512 \(predicted 512\): baseline NOT restored'
vt_grep "devdax text: the finding line names the rule" /tmp/devdaxt.out '^finding: +512 pin\(s\) of 4 KiB are still held.*predicted: type1 never unpins PG_reserved'
pins_read
vt_diag "outstanding pins after the devdax maps: $((PA - PR))"

# The holder's view: VmLck 0 with 4M of device-dax mapped, kpageflags NOPAGE or EOF, inspect says device.
vfio-pinctl map --json --type devdax --hold >/tmp/dh.json 2>/tmp/dh.err &
bg=$!
pid=$(wait_hold /tmp/dh.err)
vt_ne "devdax hold: holding" "$pid" ""
vt_cmp "devdax hold: VmLck of the holder 0" "$(vt_vmlck "$pid")" -eq 0
vt_cmp "devdax hold: VmPin of the holder 0" "$(vt_vmpin "$pid")" -eq 0
va=$(sed -n "s|^\([0-9a-f]*\)-.* $DAX\$|\1|p" "/proc/$pid/maps" | head -1)
e=$(pme "$pid" $((0x$va)) 1)
f=$(kpf "$(pfn_of "$e")")
vt_diag "devdax hold: vaddr 0x$va pme $e kpageflags '${f:-EOF}'"
vt_ok "devdax hold: the page is present" test "$(bit "$e" 63)" -eq 1
vt_ok "devdax hold: kpageflags says NOPAGE or has no entry (ZONE_DEVICE)" test -z "$f" -o "$(bit "${f:-0}" 20)" -eq 1
vt_run dinsp vfio-pinctl inspect --json "$pid"
vt_jq "devdax hold: inspect calls it device, not invalid" /tmp/dinsp.out \
	"[.vmas[] | select(.path == \"$DAX\") | .zone_device and .device_bytes == $M4 and .invalid_bytes == 0] | .[0]"
kill -INT "$pid"
wait "$bg"
vt_eq "devdax hold: exit 0 (the leak was predicted)" "$?" 0

# fs-dax: refused, whatever the flags; inspect of a process mapping a dax file says device.
refused fsdax fsdax EOPNOTSUPP TMPDIR=/mnt/dax
refused fsdaxro fsdax:ro EOPNOTSUPP TMPDIR=/mnt/dax
vt_run fsdaxtmp vfio-pinctl map --type fsdax
vt_eq "fsdax without a dax TMPDIR: exit 9" "$VT_RC" 9
vt_grep "fsdax without a dax TMPDIR: one line naming the fix" /tmp/fsdaxtmp.err 'not on a dax mount; set TMPDIR to a filesystem mounted -o dax'
TMPDIR=/mnt/dax memproc --file 4M >/tmp/mp.out 2>/tmp/mp.err &
mp=$!
i=0
while ! grep -q ready /tmp/mp.out && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
vt_run finsp vfio-pinctl inspect --json "$mp"
vt_jq "fsdax: inspect calls a file on a dax mount device" /tmp/finsp.out \
	"[.vmas[] | select(.path | startswith(\"/mnt/dax/\")) | .zone_device and .device_bytes == $M4 and .invalid_bytes == 0] | .[0]"
kill "$mp"
wait "$mp"

# PFNMAPs of ordinary RAM: EFAULT.
refused vgem vgem EFAULT
refused vgemro vgem:ro EFAULT
if vt_kver_ge 6 11; then
	refused udmabuf udmabuf EFAULT
	vt_jq "udmabuf: its own 1024 pins, taken when made, released at close" /tmp/udmabuf.out \
		'.final.pins_taken_by_alloc == 1024 and .final.pins_released_after_free == 1024'
	refused dmaheap dmaheap EFAULT
else
	run udmabuf 9 udmabuf
	vt_grep "udmabuf on $K: one line naming what is missing" /tmp/udmabuf.err '^vfio-pinctl: no /dev/udmabuf: modprobe udmabuf, or use a kernel built with CONFIG_UDMABUF'
	vt_eq "udmabuf: one line only" "$(wc -l </tmp/udmabuf.err)" 1
	run dmaheap 9 dmaheap
	vt_grep "dmaheap on $K: one line naming what is missing" /tmp/dmaheap.err '^vfio-pinctl: no /dev/dma_heap/system'
fi

# A PFNMAP of reserved RAM: mapped, uncharged, no GUP at all.
run devmem 0 devmem
vt_jq "devmem: 64K mapped, uncharged, reserved pfns, no pin" /tmp/devmem.out \
	'.regions[0].size_bytes == 65536 and .regions[0].measured.vmlck_bytes == 0 and .regions[0].classes_before.reserved_bytes == 65536 and .regions[0].pins.measured.taken_at_map == 0'
vt_cmp "devmem: this script's vmstat: no pin" "$DA" -eq 0

# KSM: 4 shared pfns (max_page_sharing 256) for 1024 pages, replaced by the pin.
mapped ksm ksm $M4 $M4
vt_jq "ksm: all 1024 pages were merged before the map" /tmp/ksm.out '.regions[0].ksm_shared_bytes == 4194304'
mapped ksmro ksm:ro $M4 $M4

# MAP_PRIVATE memfd, read: 6.1 pins the page cache, 6.12 unshares it.
mapped private private $M4 $((M4 * UNSHARE))

# writeback: a write pin of ext4 page cache is refused from 6.5; READ pins are fine.
if [ "$WB_RW_REFUSED" -eq 1 ]; then
	refused writeback writeback EFAULT TMPDIR=/mnt/wb
else
	mapped writeback writeback $M4 0 TMPDIR=/mnt/wb
fi
mapped writebackro writeback:ro $M4 0 TMPDIR=/mnt/wb
vt_run wbtmp env TMPDIR=/dev/shm vfio-pinctl map --type writeback
vt_eq "writeback on tmpfs: exit 9" "$VT_RC" 9
vt_grep "writeback on tmpfs: one line naming the fix" /tmp/wbtmp.err 'not on a block-device-backed filesystem'

# secretmem: GUP refuses it.
refused secretmem secretmem EFAULT
refused secretmemro secretmem:ro EFAULT

# The older types keep their pins balanced and their pfns.
mapped anon anon $M4 0
mapped zero zero $((M4 * UNSHARE)) $((M4 * UNSHARE))

# --- the holder's own pfns after the map ---------------------------------------------
# ksm: after the map every page has its own pfn again.
vfio-pinctl map --type ksm --hold >/tmp/kh.out 2>/tmp/kh.err &
bg=$!
pid=$(wait_hold /tmp/kh.err)
vt_ne "ksm hold: holding" "$pid" ""
vt_cmp "ksm hold: VmLck of the holder 4M" "$(vt_vmlck "$pid")" -eq 4096
# The table's VADDR column (the 6th).
va=$(awk '$2 == "ksm" { print $6; exit }' /tmp/kh.out)
if [ -n "$va" ]; then
	n=$(pme "$pid" $((va)) 1024 | while read -r x; do pfn_of "$x"; done | sort -u | wc -l)
	vt_cmp "ksm hold: 1024 distinct pfns after the pin (unshared/COWed)" "$n" -eq 1024
else
	vt_fail "ksm hold: the 4M anon vma of the holder is not in its maps"
fi
kill -INT "$pid"
wait "$bg"
vt_eq "ksm hold: exit 0" "$?" 0

vt_done
