#!/bin/sh
# vm-kernels: 6.1 6.12
# vm-args: --file tests/host/prom-norm.sh:/vmtest/prom-norm.sh --file /usr/bin/prometheus-node-exporter --file /usr/bin/setpriv --file /usr/share/misc/pci.ids:/usr/share/misc/pci.ids
# t-fleet.sh — what the vfio-pinctl-check unit does, on a guest where check passes (intel-iommu
# with interrupt remapping, edu on vfio-pci): check --prometheus + --nfd, Debian's
# prometheus-node-exporter (copied in with its libraries) scraped over loopback HTTP, the
# feature file's labels against what the kernel shows, the same run with no capability at all
# (the unit's CapabilityBoundingSet=), and pci.ids naming the devices (the demo guest's).
# util-linux setpriv by path: busybox has an applet of the same name without --bounding-set.
. /vmtest/lib.sh
. /vmtest/prom-norm.sh    # prom_norm, as the host scrape test compares

T=$VT_TMP
EDU=0000:00:03.0
group=$(vt_group_of "$EDU")
mkdir -p "$T/textfile" "$T/features.d"
F=$T/features.d/vfio-pinctl
vt_run fleet vfio-pinctl check -q --user root --guest-mem 16M --hugepages 2M \
	--prometheus "$T/textfile/vfio-pinctl.prom" --nfd "$F"
vt_eq "healthy guest: check exits 0 (OK)" "$VT_RC" 0

# ---- node_exporter scrape ------------------------------------------------
ip link set lo up
prometheus-node-exporter --web.listen-address=127.0.0.1:9100 --collector.disable-defaults \
	--collector.textfile --collector.textfile.directory="$T/textfile" >"$T/ne.log" 2>&1 &
ne=$!
i=0
while ! wget -q -O "$T/scrape" http://127.0.0.1:9100/metrics 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.2
	i=$((i + 1))
done
vt_ok "node_exporter answers /metrics over loopback HTTP" test -s "$T/scrape" ||
	{ echo "# node_exporter's log:"; sed 's/^/#   /' "$T/ne.log"; }
vt_grep "node_textfile_scrape_error 0" "$T/scrape" '^node_textfile_scrape_error 0$'
vt_grep "scraped: exit code 0" "$T/scrape" '^vfio_pinctl_check_exit_code 0$'
# node_exporter gives every sample of a family the same label names: subject="" where the file
# has none (Prometheus treats an empty label as absent).
vt_grep "scraped: iommu_enabled passed" "$T/scrape" '^vfio_pinctl_check_status\{check="iommu_enabled",subject=""\} 0$'
vt_grep "scraped: interrupt_remapping passed" "$T/scrape" '^vfio_pinctl_check_status\{check="interrupt_remapping",subject=""\} 0$'
vt_grep "scraped: group $group viable" "$T/scrape" "^vfio_pinctl_check_status\\{check=\"group_viable\",subject=\"$group\"\\} 0\$"
vt_eq "scraped: no check failed or warned" \
	"$(grep '^vfio_pinctl_check_status' "$T/scrape" | awk '$NF == 1 || $NF == 2' | wc -l)" 0
vt_eq "scraped: as many check series as the file has" \
	"$(grep -c '^vfio_pinctl_check_status' "$T/scrape")" "$(grep -c '^vfio_pinctl_check_status' "$T/textfile/vfio-pinctl.prom")"
prom_norm vfio_pinctl_ <"$T/textfile/vfio-pinctl.prom" >"$T/file.n"
prom_norm vfio_pinctl_ <"$T/scrape" >"$T/scrape.n"
vt_ok "every vfio_pinctl sample of the file scraped with its value, and no other" cmp "$T/file.n" "$T/scrape.n"
kill "$ne"

# ---- NFD labels against the kernel ----------------------------------------
L=vfio-pinctl.feature.node.kubernetes.io
vt_grep "expiry directive first" "$F" '^# \+expiry-time=[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
vt_grep "status=ok" "$F" "^$L/status=ok\$"
vt_ok "the kernel has IOMMU groups" sh -c 'ls /sys/kernel/iommu_groups | grep -q .'
vt_grep "iommu=true" "$F" "^$L/iommu=true\$"
vt_ok "the kernel remaps interrupts (IR- chips)" grep -q ' IR-' /proc/interrupts
vt_grep "interrupt-remapping=true" "$F" "^$L/interrupt-remapping=true\$"
vt_ok "/dev/vfio/vfio exists (type1 container)" test -c /dev/vfio/vfio
vt_grep "backend.type1=true" "$F" "^$L/backend.type1=true\$"
# 6.1 has no vfio cdev; 6.12 may (CONFIG_VFIO_DEVICE_CDEV): the label follows the kernel
if ls /dev/vfio/devices/vfio* >/dev/null 2>&1; then cdev=true; else cdev=false; fi
vt_grep "cdev=$cdev, as /dev/vfio/devices shows" "$F" "^$L/cdev=$cdev\$"
if [ -c /dev/iommu ] && [ $cdev = true ]; then fd=true; else fd=false; fi
vt_grep "backend.iommufd=$fd (/dev/iommu and the cdev)" "$F" "^$L/backend.iommufd=$fd\$"
vt_eq "the kernel has one device on vfio-pci" "$(ls /sys/bus/pci/drivers/vfio-pci | grep -c '^0000:')" 1
vt_grep "vfio-pci.devices=1" "$F" "^$L/vfio-pci.devices=1\$"
vt_grep "vfio-pci.viable=1" "$F" "^$L/vfio-pci.viable=1\$"
hp=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)
vt_grep "hugepages-2Mi.free as sysfs has it ($hp)" "$F" "^$L/hugepages-2Mi.free=$hp\$"
vt_eq "no dot-file left in features.d" "$(ls -A "$T/features.d")" vfio-pinctl

# ---- no capability: the same report ---------------------------------------
vfio-pinctl check --user root --guest-mem 16M --hugepages 2M --json >"$T/full.json"
vt_run nocap /usr/bin/setpriv --bounding-set=-all --inh-caps=-all --no-new-privs \
	vfio-pinctl check --user root --guest-mem 16M --hugepages 2M --json
vt_eq "no capability: exit 0 as well" "$VT_RC" 0
vt_ok "no capability: the same checks and figures as root" \
	sh -c "jq -S . '$T/full.json' >'$T/a' && jq -S . '$T/nocap.out' >'$T/b' && cmp '$T/a' '$T/b'"

# ---- pci.ids in the guest ---------------------------------------------------
vt_run groups vfio-pinctl groups
vt_grep "pci.ids present: libpci names the q35 host bridge" "$T/groups.out" 'Intel Corporation'
vt_done
