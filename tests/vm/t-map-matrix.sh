# vm-args: --mem 4G --append "hugepagesz=1G hugepages=1" --append no_timer_check
# vm-kernels: 6.1 6.12 iommufd
# The predicted-vs-measured matrix: every memory type alone (with a 1 GiB
# hugetlb page: this guest has 4G), mlocked memory, and --repeat 2, one map
# each, asserting what the kernel charged.  Each row is also printed as a
# "# table:" line that tests/vm/run-map.sh --table collects per kernel.
. /vmtest/lib.sh
VT_LOG_LINES=6

M1=1048576
G1=1073741824
if vt_kver_ge 6 2; then ZERO=1; else ZERO=0; fi
vt_eq "one free 1G huge page" "$(cat /sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages)" 1

# table NAME: one line per mapping of /tmp/NAME.out
table() {
	jq -r --arg k "$(uname -r)" '
	  def cls(c): c | to_entries
	    | map(select((.key | test("^(unknown|invalid|zero|reserved|hugetlb|thp|anon|file)_bytes$")) and .value > 0))
	    | map(.key | sub("_bytes"; "")) | join("+") | if . == "" then "-" else . end;
	  .regions[] | "# table: \($k) \(.type)\(if .pass > 1 then "#\(.pass)" else "" end) \(.size_bytes) \(.prot) \(cls(.classes_before))>\(cls(.classes)) \(.measured.vmlck_before_bytes) \(.predicted_charge_bytes) \(.measured_charge_bytes) \(.agree)"' \
	  "/tmp/$1.out"
}

# row NAME EXPECTED_TOTAL_CHARGE MAP-ARGS...
row() {
	_n=$1 _want=$2
	shift 2
	vt_run "$_n" vfio-pinctl map --json "$@"
	vt_eq "$_n: exit 0" "$VT_RC" 0
	vt_jq "$_n: predicted == measured for every mapping" "/tmp/$_n.out" \
		'[.regions[] | .agree and .predicted_charge_bytes == .measured_charge_bytes] | all'
	vt_jq "$_n: the kernel charged $_want bytes in all" "/tmp/$_n.out" \
		"([.regions[].measured_charge_bytes] | add) == $_want"
	vt_jq "$_n: baseline restored" "/tmp/$_n.out" '.baseline_restored'
	table "$_n"
}

row anon $((4 * M1)) --type anon
row thp $((4 * M1)) --type thp
vt_jq "thp: backed by THP" /tmp/thp.out '.regions[0].classes.thp_bytes == 4194304'
row hugetlb $((2 * M1)) --type hugetlb
row hugetlb1g $G1 --type hugetlb1g
vt_jq "hugetlb1g: one 1G page, every 4K of it charged" /tmp/hugetlb1g.out \
	".regions[0].classes.hugetlb_bytes == $G1 and .regions[0].iova == \"0x40000000\""
row zero $((4 * M1 * ZERO)) --type zero
row file $((4 * M1)) --type file
row mlock $((4 * M1)) --type mlock
vt_jq "mlock: VmLck peaks at twice the memory" /tmp/mlock.out '.memlock.peak_bytes == 2 * 4194304'
row bar 0 --type bar
row repeat2 $((8 * M1)) --type anon --repeat 2

# 1G under a limit: exactly 1G passes, one page less fails (per-4K accounting).
vt_run at1g vfio-pinctl map --json --type hugetlb1g --memlock 1G
vt_eq "hugetlb1g under --memlock 1G: exit 0" "$VT_RC" 0
vt_run under1g vfio-pinctl map --json --type hugetlb1g --memlock $((G1 - 4096))
vt_eq "hugetlb1g under --memlock 1G-4K: exit 8" "$VT_RC" 8
vt_jq "under1g: ENOMEM predicted and answered" /tmp/under1g.out \
	'.regions[0].error.errno == "ENOMEM" and .regions[0].predicted.error == "ENOMEM" and .regions[0].agree'
vt_eq "the 1G page is free again" "$(cat /sys/kernel/mm/hugepages/hugepages-1048576kB/free_hugepages)" 1
vt_done
