# vm-args: --mem 1G --append "movablecore=50% vmtest_hugepages=2" --append no_timer_check
# vm-kernels: 6.1 6.12
# ZONE_MOVABLE (movablecore=50%): FOLL_LONGTERM never pins a movable page, it
# migrates it first (check_and_migrate_movable_pages/folios): the pins are taken
# twice and the first ones released at once (+2048 -1024 for 4 MiB), the pfns
# change, the charge does not.  Predicted from /proc/zoneinfo's Movable range,
# measured by the tool and by this script (/proc/vmstat, pgmigrate_success).
# And on 6.1, booted without secretmem.enable=1: secretmem's one line.
. /vmtest/lib.sh
VT_LOG_LINES=12
M4=4194304

vt_ok "a Movable zone exists" grep -q 'zone  *Movable' /proc/zoneinfo
pins_read() {
	echo 1 >/proc/sys/vm/stat_refresh
	PA=$(sed -n 's/^nr_foll_pin_acquired //p' /proc/vmstat)
	PR=$(sed -n 's/^nr_foll_pin_released //p' /proc/vmstat)
	PM=$(sed -n 's/^pgmigrate_success //p' /proc/vmstat)
}

# Fill ZONE_NORMAL first is not needed: the allocator prefers ZONE_MOVABLE for
# user pages (GFP_HIGHUSER_MOVABLE), so a fresh 4M region is (mostly) movable.
pins_read
a=$PA r=$PR m=$PM
vt_run anon vfio-pinctl map --json --type anon
vt_eq "anon: exit 0 (as predicted)" "$VT_RC" 0
pins_read
vt_diag "anon: vmstat pins +$((PA - a)) -$((PR - r)), pgmigrate_success +$((PM - m))"
vt_jq "anon: predicted == measured, pins and pfns included" /tmp/anon.out '.regions[0].agree'
vt_jq "anon: its pages were in ZONE_MOVABLE before the map" /tmp/anon.out '.regions[0].movable_bytes > 0'
vt_jq "anon: each movable page was pinned twice, once released at map" /tmp/anon.out \
	'.regions[0].pins.measured.taken_at_map == 1024 + .regions[0].movable_bytes / 4096 and .regions[0].pins.measured.released_at_map == .regions[0].movable_bytes / 4096'
vt_jq "anon: the migrated pages changed pfn, the charge did not" /tmp/anon.out \
	'.regions[0].pfns_changed_bytes == .regions[0].movable_bytes and .regions[0].measured.vmlck_bytes == 4194304'
vt_jq "anon: the pfn rule is named" /tmp/anon.out '.regions[0].pfn_rule | test("ZONE_MOVABLE")'
vt_jq "anon: all released, nothing leaked" /tmp/anon.out '.baseline_restored and .final.pins_leaked == 0'
vt_cmp "anon: this script saw the migrations (pgmigrate_success)" "$((PM - m))" -ge 1
vt_jq "anon: this script's pin deltas equal the tool's" /tmp/anon.out \
	"(.regions[0].pins.measured | .taken_at_map + .taken_at_unmap) == $((PA - a)) and (.regions[0].pins.measured | .released_at_map + .released_at_unmap) == $((PR - r))"

if vt_kver_ge 6 5; then
	vt_run secret vfio-pinctl map --json --type secretmem
	vt_eq "secretmem: refused as predicted (exit 8)" "$VT_RC" 8
else
	vt_run secret vfio-pinctl map --type secretmem
	vt_eq "secretmem on 6.1 without secretmem.enable=1: exit 9" "$VT_RC" 9
	vt_grep "secretmem: one line naming the boot parameter" /tmp/secret.err '^vfio-pinctl: memfd_secret\(2\) is off \(ENOSYS\): boot with secretmem.enable=1'
fi
vt_done
