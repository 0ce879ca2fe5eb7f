#!/bin/bash
# mlocked_bytes counts the resident bytes (smaps Rss) of the VM_LOCKED vmas (VmFlags
# "lo"), not smaps Locked: Locked is proportional (each page divided among the
# processes that map it, as Pss), so it moves when another process maps the same
# file pages.  A memproc that mlockall()s its libraries is inspected before and after
# a second memproc maps the same binary: mlocked_bytes stays, and equals the kernel's
# own Rss of the locked vmas; mlocked_smaps_locked_bytes (the Locked sum) drops, and
# even moves while it is read (awk and vfio-pinctl map the same libc).
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
ht_need_root

# smaps sums of PID: "RSS-OF-LO-VMAS LOCKED" in bytes
sums() {
	awk '/^[0-9a-f]+-[0-9a-f]+ / { rss = 0 } $1 == "Rss:" { rss = $2 }
	     $1 == "Locked:" { locked += $2 }
	     $1 == "VmFlags:" { for (i = 2; i <= NF; i++) if ($i == "lo") lo += rss }
	     END { print lo * 1024, locked * 1024 }' "/proc/$1/smaps"
}

ht_memproc --anon 2M --mlock 2M --mlockall
first=$MP_PID
read -r lo1 lk1 < <(sums "$first")
"$BIN" inspect --json --summary "$first" >"$HT_TMP/m1.json"
ht_eq "inspect exits 0" "$?" 0
read -r lo1b _ < <(sums "$first")
ht_eq "Rss of the locked vmas did not change while inspected" "$lo1b" "$lo1"
ht_ok "mlocked_bytes == Rss of the VM_LOCKED vmas (smaps, $lo1)" jq -e ".memlock.mlocked_bytes == $lo1" "$HT_TMP/m1.json"
# Locked moves even with the readers: awk and vfio-pinctl map the same libc while they read.
ht_ok "mlocked_smaps_locked_bytes: the proportional figure, below Rss" \
	jq -e ".memlock.mlocked_smaps_locked_bytes > 0 and .memlock.mlocked_smaps_locked_bytes < $lo1" "$HT_TMP/m1.json"
ht_ok "shared library pages make Locked smaller than Rss ($lk1 < $lo1)" test "$lk1" -lt "$lo1"

# A second process maps the same binary and libraries: their pages' mapcount goes up.
ht_memproc --anon 4K
read -r lo2 lk2 < <(sums "$first")
"$BIN" inspect --json --summary "$first" >"$HT_TMP/m2.json"
ht_eq "Rss of the locked vmas did not move ($lo1 -> $lo2)" "$lo2" "$lo1"
ht_ok "smaps Locked did move down ($lk1 -> $lk2)" test "$lk2" -lt "$lk1"
ht_ok "mlocked_bytes stays $lo1" jq -e ".memlock.mlocked_bytes == $lo1" "$HT_TMP/m2.json"
ht_ok "mlocked_smaps_locked_bytes moved down with it" \
	jq -e ".memlock.mlocked_smaps_locked_bytes < $(jq .memlock.mlocked_smaps_locked_bytes "$HT_TMP/m1.json")" "$HT_TMP/m2.json"
ht_done
