#!/bin/bash
# inspect on the real host kernel: a helper maps memory of known kinds; inspect --json
# must report exactly those bytes in exactly those classes.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
ht_need_root
ht_hugepages 4
ht_memproc --anon 8M --thp 8M --hugetlb 4M --zero 4M --file 4M --shmem 4M --mlock 4M \
	--sparse 64M:1M --untouched 4M
J=$HT_TMP/inspect.json
"$BIN" inspect --json "$MP_PID" >"$J"
ht_eq "inspect exits 0" "$?" 0
ht_ok "report is valid JSON" jq -e .pid "$J"

check_class() {  # type class bytes
	local got
	got=$(vma_field "$J" "$(mp_start "$1")" "$2")
	ht_eq "$1 region: $2 = $3" "$got" "$3"
}
M=$((1024 * 1024))
check_class anon anon_bytes $((8 * M))
check_class anon present_bytes $((8 * M))
check_class thp thp_bytes $((8 * M))
check_class thp present_bytes $((8 * M))
check_class hugetlb hugetlb_bytes $((4 * M))
check_class hugetlb present_bytes $((4 * M))
check_class zero zero_bytes $((4 * M))
check_class zero chargeable_bytes 0
check_class file file_bytes $((4 * M))
check_class shmem file_bytes $((4 * M))
check_class mlock anon_bytes $((4 * M))
check_class mlock locked_bytes $((4 * M))
check_class sparse anon_bytes "$(mp_field sparse touched)"
check_class sparse mapped_bytes $((64 * M))
check_class untouched present_bytes 0
check_class untouched mapped_bytes $((4 * M))
ht_eq "no invalid pages in ordinary memory" "$(jq .totals.invalid_bytes "$J")" 0
ht_eq "no unknown pages as root" "$(jq .totals.unknown_bytes "$J")" 0
ht_eq "VmLck matches /proc/PID/status" "$(jq .memlock.locked_bytes "$J")" "$(status_bytes "$MP_PID" VmLck)"
ht_eq "mlock explains all of VmLck" "$(jq .memlock.dma_locked_estimate_bytes "$J")" 0
ht_ok "mlocked bytes cover the mlocked region" test "$(jq .memlock.mlocked_bytes "$J")" -ge $((4 * M))
ht_eq "limit matches prlimit" "$(jq .memlock.limit_bytes "$J")" "$(prlimit -p "$MP_PID" --memlock -o SOFT --noheadings | tr -d ' ' | sed 's/unlimited/null/')"
ht_eq "present = sum of classes" "$(jq '.totals | .unknown_bytes+.invalid_bytes+.zero_bytes+.reserved_bytes+.hugetlb_bytes+.thp_bytes+.anon_bytes+.file_bytes' "$J")" "$(jq .totals.present_bytes "$J")"
ht_eq "backend none without VFIO fds" "$(jq -r .vfio.backend "$J")" none

# The fallback path (kernels before 6.7) and the exact path must agree page for page.
"$BIN" inspect --json --no-pagemap-scan "$MP_PID" >"$HT_TMP/noscan.json"
ht_eq "--no-pagemap-scan gives the same totals" "$(jq -c .totals "$HT_TMP/noscan.json")" "$(jq -c .totals "$J")"
"$BIN" inspect --json --exact "$MP_PID" >"$HT_TMP/exact.json"
ht_eq "--exact gives the same totals" "$(jq -c .totals "$HT_TMP/exact.json")" "$(jq -c .totals "$J")"
ht_eq "--exact reads no huge block whole" "$(jq .scan.huge_blocks "$HT_TMP/exact.json")" 0
ht_ok "the default path takes huge blocks whole" test "$(jq .scan.huge_blocks "$J")" -ge 6

# --pages: the runs of a vma add up to its present bytes, and huge pages are one run each at most.
"$BIN" inspect --json --pages "$MP_PID" >"$HT_TMP/pages.json"
ht_eq "--pages runs add up to present pages" \
	"$(jq '[.vmas[] | (.pages | map(.pages) | add // 0) * 4096 == .present_bytes] | all' "$HT_TMP/pages.json")" true
thp=$(mp_start thp)
ht_eq "THP region lists thp runs only" \
	"$(jq -r --arg s "$thp" '.vmas[] | select(.start==$s) | [.pages[].class] | unique | join(",")' "$HT_TMP/pages.json")" thp

# A terabyte reservation with nothing resident: the PAGEMAP_SCAN path reads it (cheaply);
# the pre-6.7 path does not read it page by page and says so, never calling it empty.
ht_memproc --sparse 2T:0 --anon 1M
"$BIN" inspect --json --no-pagemap-scan "$MP_PID" >"$HT_TMP/res.json"
ht_eq "no PAGEMAP_SCAN: the 2T reservation is reported unscanned" "$(jq .totals.unscanned_bytes "$HT_TMP/res.json")" $((2 << 40))
ht_eq "no PAGEMAP_SCAN: the rest is still read" "$(vma_field "$HT_TMP/res.json" "$(mp_start anon)" anon_bytes)" $((1 * M))
"$BIN" inspect --json "$MP_PID" >"$HT_TMP/res2.json"
ht_eq "PAGEMAP_SCAN: nothing left unscanned" "$(jq .totals.unscanned_bytes "$HT_TMP/res2.json")" 0
"$BIN" inspect --no-pagemap-scan --summary "$MP_PID" >"$HT_TMP/res.txt"
ht_ok "the summary says why" grep -q "not read page by page" "$HT_TMP/res.txt"

# Without CAP_SYS_ADMIN pfns are hidden: unknown, never invalid.
U=$HT_TMP/user.json
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$BIN" inspect --json self >"$U"
ht_eq "unprivileged: exit 0" "$?" 0
ht_eq "unprivileged: all present pages unknown" "$(jq '.totals.unknown_bytes == .totals.present_bytes and .totals.present_bytes > 0' "$U")" true
ht_eq "unprivileged: nothing called invalid" "$(jq .totals.invalid_bytes "$U")" 0
ht_eq "unprivileged: pfns_hidden flagged" "$(jq .pfns_hidden "$U")" true
ht_done
