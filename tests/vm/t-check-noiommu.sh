#!/bin/sh
# vm-kernels: 6.1 6.12
# vm-args: --no-iommu
# t-check-noiommu.sh — a guest booted without an IOMMU (no intel-iommu device,
# no intel_iommu=on): check must fail the IOMMU check with exit 2, and groups
# must say there are none.
. /vmtest/lib.sh

T=$VT_TMP
vt_eq "the kernel has no IOMMU groups" "$(ls /sys/kernel/iommu_groups 2>/dev/null | wc -l)" 0
vt_fails "the kernel has no ACPI DMAR table" test -e /sys/firmware/acpi/tables/DMAR

vt_run check vfio-pinctl check --guest-mem 16M --json
vt_ok "check: a JSON report was written" test -s "$T/check.out"
vt_eq "check exits 2 (CRITICAL)" "$VT_RC" 2
vt_jq "iommu_enabled FAIL: no DMAR table, no groups" "$T/check.out" \
	'.checks[] | select(.id == "iommu_enabled") | .status == "FAIL" and (.finding | test("no ACPI DMAR/IVRS table")) and (.fix | test("intel_iommu=on"))'
vt_jq "interrupt_remapping skipped" "$T/check.out" '.checks[] | select(.id == "interrupt_remapping") | .status == "SKIP"'
vt_jq "status CRITICAL" "$T/check.out" '.status == "CRITICAL" and .exit_code == 2'
vt_run text vfio-pinctl check --guest-mem 16M
vt_grep "text status line names iommu_enabled" "$T/text.out" '^VFIO CRITICAL - .*iommu_enabled'
echo "# --- check, text ---"; cat "$T/text.out"

vt_run groups vfio-pinctl groups
vt_eq "groups exits 5 (no IOMMU)" "$VT_RC" 5
vt_grep "groups says the IOMMU is off" "$T/groups.err" 'no IOMMU groups'

vt_done
