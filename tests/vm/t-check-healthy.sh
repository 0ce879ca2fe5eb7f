#!/bin/sh
# vm-kernels: 6.1 6.12
# vm-args: --device pci-serial
# t-check-healthy.sh — `check` and `groups` on a healthy guest (intel-iommu with
# interrupt remapping, edu on vfio-pci), each verdict set against what the
# kernel itself shows or does.  A pci-serial card stays on its host driver
# (serial, built in) to be the "device left on its driver".
. /vmtest/lib.sh

EDU=0000:00:03.0
SER=$(vt_find_pci 1b36 0002)
group=$(vt_group_of "$EDU")
hp_free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
T=$VT_TMP

# ---- healthy: exit 0, every check PASS ----------------------------------
vt_run healthy vfio-pinctl check --guest-mem 16M --hugepages 2M --json --prometheus "$T/check.prom"
vt_ok "healthy: a JSON report was written" test -s "$T/healthy.out"
vt_eq "healthy guest: check exits 0 (OK)" "$VT_RC" 0
vt_jq "no check fails, warns or is unknown" "$T/healthy.out" \
	'[.checks[] | select(.status != "PASS" and .status != "SKIP")] | length == 0'
vt_jq "the edu device is checked by default (it is on vfio-pci)" "$T/healthy.out" \
	'.figures.devices == [$d]' --arg d "$EDU"
vt_ok "the kernel has an IOMMU unit and groups" sh -c 'ls /sys/class/iommu | grep -q . && ls /sys/kernel/iommu_groups | grep -q .'
vt_jq "iommu_enabled PASS, naming dmar0" "$T/healthy.out" \
	'.checks[] | select(.id == "iommu_enabled") | .status == "PASS" and (.finding | test("dmar0"))'
vt_ok "the kernel remaps interrupts (IR- chips in /proc/interrupts)" grep -q ' IR-' /proc/interrupts
vt_jq "interrupt_remapping PASS" "$T/healthy.out" '.checks[] | select(.id == "interrupt_remapping") | .status == "PASS"'
vt_jq "vfio, vfio_iommu_type1, vfio_pci loaded" "$T/healthy.out" \
	'.figures.modules | .vfio == "loaded" and .vfio_iommu_type1 == "loaded" and .vfio_pci == "loaded"'
vt_jq "dma_entry_limit as sysfs has it" "$T/healthy.out" '.figures.dma_entry_limit == ($v | tonumber)' \
	--arg v "$(cat /sys/module/vfio_iommu_type1/parameters/dma_entry_limit)"
vt_jq "group $group viable, /dev/vfio/$group accessible to root" "$T/healthy.out" \
	'[.checks[] | select(.subject == $g) | .status] == ["PASS", "PASS"]' --arg g "$group"
vt_jq "free 2M pages as /proc/meminfo has them" "$T/healthy.out" \
	'.figures.hugepages[] | select(.size_kb == 2048 and .node == 0) | .free == ($f | tonumber)' --arg f "$hp_free"
vt_grep "metrics: iommu_enabled passed" "$T/check.prom" '^vfio_pinctl_check_status\{check="iommu_enabled"\} 0$'
vt_grep "metrics: free 2M pages of node 0" "$T/check.prom" "^vfio_pinctl_hugepages_free\\{size=\"2048kB\",node=\"0\"\\} $hp_free\$"
vt_grep "metrics: exit code 0" "$T/check.prom" '^vfio_pinctl_check_exit_code 0$'
vt_eq "no temporary file left next to the metrics" "$(ls -A "$T" | grep -c '^\.check\.prom\.')" 0
vt_run healthy-text vfio-pinctl check --guest-mem 16M --hugepages 2M
vt_grep "text: status line OK" "$T/healthy-text.out" '^VFIO OK - 0 failed'
echo "# --- check, text ---"; cat "$T/healthy-text.out"
echo "# --- check --prometheus ---"; cat "$T/check.prom"

# ---- more huge pages than reserved: FAIL (the kernel has $hp_free free) ----
vt_run short vfio-pinctl check --guest-mem $(((hp_free + 1) * 2))M --hugepages 2M --json
vt_ok "short: a JSON report was written" test -s "$T/short.out"
vt_eq "a guest larger than the free 2M pages: exit 2" "$VT_RC" 2
vt_jq "hugepages FAIL" "$T/short.out" '.checks[] | select(.id == "hugepages") | .status == "FAIL"'

# ---- a device left on its host driver ------------------------------------
vt_ne "pci-serial present" "$SER" ""
vt_eq "the kernel bound it to serial" "$(vt_driver_of "$SER")" serial
vt_run unbound vfio-pinctl check --device "$SER" --json
vt_ok "unbound: a JSON report was written" test -s "$T/unbound.out"
vt_eq "device on a host driver: exit 2" "$VT_RC" 2
vt_jq "device_bound FAIL names the serial driver" "$T/unbound.out" \
	'.checks[] | select(.id == "device_bound" and .subject == $d) | .status == "FAIL" and (.finding | test("bound to serial")) and (.fix | test("driver_override"))' \
	--arg d "$SER"
vt_jq "its group is not viable" "$T/unbound.out" \
	'.checks[] | select(.id == "group_viable") | .status == "FAIL"'

# ---- another user: /dev/vfio/N and memlock as the kernel applies them -----
vt_fails "the kernel refuses nobody read-write on /dev/vfio/$group" \
	su -s /bin/sh nobody -c "exec 3<>/dev/vfio/$group"
nobody_kb=$(su -s /bin/sh nobody -c 'ulimit -l')
vt_run nobody vfio-pinctl check --guest-mem $((nobody_kb * 2))K --user nobody --json
vt_ok "nobody: a JSON report was written" test -s "$T/nobody.out"
vt_eq "check --user nobody: exit 2" "$VT_RC" 2
vt_jq "vfio_dev_access FAIL for nobody" "$T/nobody.out" \
	'.checks[] | select(.id == "vfio_dev_access") | .status == "FAIL"'
vt_jq "memlock limit of nobody = what the kernel gives a nobody shell (${nobody_kb}K)" "$T/nobody.out" \
	'.target.memlock_soft_bytes == ($k | tonumber) * 1024' --arg k "$nobody_kb"
vt_jq "memlock FAIL: a guest of twice the limit" "$T/nobody.out" \
	'.checks[] | select(.id == "memlock") | .status == "FAIL"'

# ---- groups ----------------------------------------------------------------
vt_run groups vfio-pinctl groups -J -o GROUP,DEVICE,DRIVER,ROLE,VIABLE
vt_ok "groups: a JSON report was written" test -s "$T/groups.out"
vt_eq "groups exits 0" "$VT_RC" 0
vt_jq "groups: edu on vfio-pci, viable" "$T/groups.out" \
	'.groups[] | select(.device == $d) | .driver == "vfio-pci" and .role == "vfio" and .viable == true and .group == ($g | tonumber)' \
	--arg d "$EDU" --arg g "$group"
vt_jq "groups: serial is a host driver, its group not viable" "$T/groups.out" \
	'.groups[] | select(.device == $d) | .driver == "serial" and .role == "host" and .viable == false' --arg d "$SER"
vt_jq "groups: every group of sysfs listed" "$T/groups.out" \
	'[.groups[].group] | unique | length == ($n | tonumber)' --arg n "$(ls /sys/kernel/iommu_groups | wc -l)"
vt_run groups-tree vfio-pinctl groups --tree -o +NODE
vt_grep "groups --tree shows /dev/vfio/$group" "$T/groups-tree.out" "/dev/vfio/$group"
echo "# --- groups --tree ---"; cat "$T/groups-tree.out"

vt_done
