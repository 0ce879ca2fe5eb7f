# vm-args: --append vmtest_hugepages=8 --append no_timer_check
# vm-kernels: 6.1 6.12 iommufd
# map, each memory type alone, all of them in one call, and --repeat 2, on the
# real type1 container: what the kernel charged (VmLck delta around MAP_DMA),
# what the pages were before and after, and that everything came back.
. /vmtest/lib.sh
VT_LOG_LINES=12

EDU=0000:00:03.0
M1=1048576
M4=4194304
# The zero page: 6.1 keeps the zero pfn under a READ-only pin (free), 6.2+ unshares it.
if vt_kver_ge 6 2; then ZERO_CHARGED=1; else ZERO_CHARGED=0; fi
vt_diag "kernel $(uname -r); zero page charged on R/O pin: $ZERO_CHARGED"
vt_eq "edu bound to vfio-pci" "$(vt_driver_of $EDU)" vfio-pci

# common NAME: checks every report must pass
common() {
	vt_jq "$1: every mapping agrees (predicted == measured)" "/tmp/$1.out" \
		'[.regions[] | .agree and .predicted_charge_bytes == .measured_charge_bytes] | all'
	vt_jq "$1: type1 leaves VmPin alone" "/tmp/$1.out" '[.regions[].measured.vmpin_bytes == 0] | all'
	vt_jq "$1: baseline restored (VmLck, huge pages)" "/tmp/$1.out" \
		'.baseline_restored and .final.vmlck_bytes == .memlock.baseline_bytes and .final.hugepages_after == .final.hugepages_before'
	vt_jq "$1: backend type1 on $EDU" "/tmp/$1.out" \
		'.backend == "type1" and .counter == "VmLck" and .device == $d' --arg d "$EDU"
}

# alone TYPE EXPECTED_CHARGE CLASS_AFTER [CLASS_BEFORE]
alone() {
	vt_run "$1" vfio-pinctl map --json --type "$1"
	vt_eq "$1: exit 0" "$VT_RC" 0
	vt_jq "$1: one mapping, no error" "/tmp/$1.out" '(.regions | length) == 1 and .regions[0].error == null'
	vt_jq "$1: kernel charged $2 bytes" "/tmp/$1.out" ".regions[0].measured_charge_bytes == $2"
	vt_jq "$1: pages are $3 after the map" "/tmp/$1.out" \
		".regions[0].classes.${3}_bytes == .regions[0].size_bytes"
	[ -z "${4:-}" ] || vt_jq "$1: pages were $4 before the map" "/tmp/$1.out" \
		".regions[0].classes_before.${4}_bytes == .regions[0].size_bytes"
	common "$1"
}

alone anon $M4 anon anon
alone thp $M4 thp thp
alone hugetlb 2097152 hugetlb hugetlb
alone file $M4 file file
alone mlock $M4 anon anon
vt_jq "mlock: mlock charged the 4M before the map, the pin charged it again" /tmp/mlock.out \
	".memlock.allocated_bytes - .memlock.baseline_bytes == $M4 and .memlock.peak_bytes - .memlock.baseline_bytes == 2 * $M4"
if [ "$ZERO_CHARGED" -eq 1 ]; then
	alone zero $M4 anon zero
else
	alone zero 0 zero zero
fi
vt_jq "zero: mapped READ-only" /tmp/zero.out '.regions[0].prot == "ro"'
alone bar 0 invalid invalid
vt_jq "bar: BAR0 of edu (1M), a PFNMAP, pfns without struct page" /tmp/bar.out \
	".regions[0].type == \"bar0\" and .regions[0].size_bytes == $M1 and .regions[0].classes.pfnmap_bytes == $M1"

# Everything in one call.
vt_run mixed vfio-pinctl map --json --type anon --type thp --type hugetlb --type zero:1M \
	--type file --type mlock --type bar
vt_eq "mixed: exit 0" "$VT_RC" 0
vt_jq "mixed: 7 mappings at distinct IOVAs" /tmp/mixed.out \
	'(.regions | length) == 7 and ([.regions[].iova] | unique | length) == 7'
vt_jq "mixed: types in order" /tmp/mixed.out \
	'[.regions[].type] == ["anon","thp","hugetlb","zero","file","mlock","bar0"]'
want=$((M4 * 4 + 2097152 + M1 * ZERO_CHARGED))
vt_jq "mixed: total charge $want (anon+thp+file+mlock 4M each, hugetlb 2M, zero $ZERO_CHARGED M, bar 0)" \
	/tmp/mixed.out "([.regions[].measured_charge_bytes] | add) == $want"
vt_jq "mixed: need = allocated + every charge" /tmp/mixed.out \
	".memlock.need_bytes == .memlock.allocated_bytes + $want"
common mixed

# --repeat 2: the same memory at a second IOVA is charged again (one vfio_dma each).
vt_run repeat vfio-pinctl map --json --type anon:1M --type zero:1M --type bar --repeat 2
vt_eq "repeat: exit 0" "$VT_RC" 0
vt_jq "repeat: 6 mappings, 2 passes, 6 distinct IOVAs" /tmp/repeat.out \
	'(.regions | length) == 6 and ([.regions[].pass] | unique) == [1,2] and ([.regions[].iova] | unique | length) == 6'
vt_jq "repeat: the same vaddr mapped twice per region" /tmp/repeat.out \
	'[.regions | group_by(.region)[] | (map(.vaddr) | unique | length) == 1] | all'
vt_jq "repeat: anon charged twice (1M per mapping)" /tmp/repeat.out \
	"[.regions[] | select(.type == \"anon\") | .measured_charge_bytes] == [$M1, $M1]"
vt_jq "repeat: zero charged $ZERO_CHARGED M per mapping" /tmp/repeat.out \
	"[.regions[] | select(.type == \"zero\") | .measured_charge_bytes] == [$((M1 * ZERO_CHARGED)), $((M1 * ZERO_CHARGED))]"
vt_jq "repeat: bar free both times" /tmp/repeat.out \
	'[.regions[] | select(.type == "bar0") | .measured_charge_bytes] == [0, 0]'
common repeat

# The table output says the same as the JSON.
vt_run text vfio-pinctl map --type anon:1M --type bar
vt_eq "text: exit 0" "$VT_RC" 0
vt_grep "text: table header" /tmp/text.out '^ *# +TYPE +SIZE +PROT +IOVA +VADDR +BEFORE +AFTER +PREDICTED +MEASURED +AGREE +ERROR'
vt_grep "text: anon row agrees" /tmp/text.out '^ *1 +anon +1M +rw .* \+1M +\+1M +yes +-$'
vt_grep "text: bar row is free" /tmp/text.out '^ *2 +bar0 +1M +rw .*invalid 1M +\+0B +\+0B +yes +-$'
vt_grep "text: release line" /tmp/text.out '^release: .*baseline restored$'
vt_cmp "no VmLck left in this shell" "$(vt_vmlck $$)" -eq 0

vt_done
