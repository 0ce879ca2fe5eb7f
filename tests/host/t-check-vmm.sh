#!/bin/bash
# check reads the VMM (issue 9), live on this host: --qemu-cmdline and --domain-xml
# on the files of tests/fixtures/check-vmm (the XML through the real libxml2), and
# --pid of a live process whose /proc/PID/cmdline is a QEMU's.  The ROM figure is
# asserted against this host: its kernel (ROMs charged from 6.2 on) and the size of
# the SeaBIOS image QEMU would load here.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
command -v jq >/dev/null || { echo "not ok - jq is missing (tests/install-deps.sh)"; exit 1; }
FX=tests/fixtures/check-vmm
M=$((1 << 20)) G=$((1 << 30))

# ROM bytes this host's kernel charges per context for the default SeaBIOS, as measured
# in the test guest (Debian's QEMU 7.2): pc.rom 128K + isa-bios 128K (of the BIOS) + the
# BIOS image, from 6.2 on; the 256K of RAM under those two windows is never mapped.
rel=$(uname -r)
maj=$(echo "$rel" | cut -d. -f1) min=$(echo "$rel" | cut -d. -f2 | tr -cd 0-9)
bios=/usr/share/seabios/bios-256k.bin
if [ "$maj" -gt 6 ] || { [ "$maj" -eq 6 ] && [ "$min" -ge 2 ]; }; then
	bsz=$([ -f "$bios" ] && stat -L -c %s "$bios" || echo 0)
	rom=$((128 * 1024 + (bsz < 131072 ? bsz : 131072) + bsz))
else
	rom=0
fi
echo "# kernel $rel: ROM bytes charged per context $rom"
H=$((256 * 1024))

js() { "$BIN" check "$@" --json >"$HT_TMP/j" 2>"$HT_TMP/e"; echo $? >"$HT_TMP/rc"; }
q() { jq -r "$1" "$HT_TMP/j"; }

js --qemu-cmdline "$FX/qemu-256m.cmdline"
ht_eq "NUL-separated argv: vmm kind" "$(q .vmm.kind)" qemu
ht_eq "... source cmdline" "$(q .vmm.source)" cmdline
ht_eq "... guest RAM" "$(q .vmm.guest_ram_bytes)" $((256 * M))
ht_eq "... one device, no vIOMMU, one context" "$(q '[.vmm.devices, .vmm.viommu, .vmm.iommufd_objects, .vmm.contexts] | @csv')" '1,,0,1'
ht_eq "... need_detail" "$(q '.memlock.need_detail | [.ram, .contexts, .roms, .bars] | @csv')" "$((256 * M - H)),1,$rom,0"
ht_eq "... need = RAM - the ROM windows + ROMs, exact" "$(q .memlock.need_bytes)" $((256 * M - H + rom))
ht_eq "... the figures' need is the same" "$(q .figures.memlock_need_bytes)" $((256 * M - H + rom))
ht_eq "... no manager known" "$(q .manager_limit_bytes)" null

js --qemu-cmdline "$FX/qemu-viommu.sh"
ht_eq "shell-quoted line, vIOMMU in front of two devices: 2 contexts" "$(q '[.vmm.viommu, .vmm.devices, .vmm.contexts] | @csv')" '"intel-iommu",2,2'
ht_eq "... 2 x (RAM - ROM windows + ROMs)" "$(q .memlock.need_bytes)" $((2 * (G - H + rom)))

"$BIN" check --qemu-cmdline - --json <"$FX/qemu-kata.sh" >"$HT_TMP/j" 2>"$HT_TMP/e"
ht_eq "stdin, Kata's iommufd per device: 2 objects, 2 contexts, backend iommufd" \
	"$(q '[.vmm.iommufd_objects, .vmm.contexts, .figures.backend] | @csv')" '2,2,"iommufd"'

js --domain-xml "$FX/domain-hostdev.xml"
ht_eq "domain XML (libxml2): source domain-xml" "$(q .vmm.source)" domain-xml
ht_eq "... libvirt's ceiling, qemumemlocktest pc-hostdev: 2147483648" "$(q .manager_limit_bytes)" 2147483648
ht_eq "... the same in memlock" "$(q .memlock.manager_limit_bytes)" 2147483648

js --domain-xml "$FX/domain-kubevirt.xml" --user nobody
ht_eq "kubevirt#18915: 2 hostdevs + a <qemu:commandline> intel-iommu: 2 contexts" "$(q .vmm.contexts)" 2
ht_eq "... libvirt sets 1 x 4G + 1G" "$(q .manager_limit_bytes)" $((5 * G))
ht_eq "... short by 2 x (4G - 256K + ROMs) - 5G" "$(q .memlock.manager_short_bytes)" $((3 * G + 2 * (rom - H)))
ht_eq "... memlock FAIL" "$(q '.checks[] | select(.id == "memlock") | .status')" FAIL
ht_ok "... saying libvirt's ceiling is short" grep -q "libvirt sets 5G ([^)]*([^)]*)[^)]*): short by" "$HT_TMP/j"
ht_eq "... exit 2 (CRITICAL)" "$(cat "$HT_TMP/rc")" 2

js --domain-xml "$FX/domain-hardlimit.xml" --user nobody
ht_eq "<hard_limit> 1G under a 1G guest: the ceiling is exactly it" "$(q .manager_limit_bytes)" "$G"
if [ "$rom" -gt "$H" ]; then
	ht_eq "... short by the ROMs less the RAM they hide" "$(q .memlock.manager_short_bytes)" $((rom - H))
else
	ht_eq "... enough on a kernel that charges no ROM" "$(q .memlock.manager_short_bytes)" 0
fi

# bad input: one line, exit 6, nothing on stdout
ht_expect "truncated argv" 6 "argv is truncated" "$BIN" check --qemu-cmdline "$FX/qemu-truncated.cmdline"
ht_expect "not a VMM's command line" 6 "'ls' is not a VMM" "$BIN" check --qemu-cmdline "$FX/not-vmm.sh"
ht_expect "XML that is not a <domain>" 6 "root element is not <domain>" "$BIN" check --domain-xml "$FX/not-domain.xml"
ht_expect "XML that is not XML" 6 "domain XML" "$BIN" check --domain-xml "$FX/qemu-viommu.sh"
ht_expect "a missing file" 6 "cannot read --qemu-cmdline" "$BIN" check --qemu-cmdline "$HT_TMP/none"
ht_eq "... nothing on stdout" "$(cat "$HT_TMP/out")" ""

# --pid of a live process whose argv is a QEMU's: read from its /proc/PID/cmdline
( exec -a qemu-system-x86_64 bash -c 'sleep 300; :' x -m 256M -device vfio-pci,host=0000:00:03.0 -S ) &
qpid=$!
HT_PIDS+=("$qpid")
for _ in $(seq 50); do grep -q qemu-system "/proc/$qpid/cmdline" 2>/dev/null && break; sleep 0.1; done
js --pid "$qpid"
ht_eq "live --pid of a QEMU: read from its cmdline" "$(q '[.vmm.kind, .vmm.source, .vmm.running] | @csv')" '"qemu","cmdline",true'
ht_eq "... its guest RAM, without --guest-mem" "$(q .figures.guest_mem_bytes)" $((256 * M))
js --pid "$qpid" --guest-mem 1G
ht_eq "... --guest-mem overrides" "$(q .figures.guest_mem_bytes)" "$G"
ht_ok "... and says so" grep -q "guest-mem 1G overrides the VMM's 256M" "$HT_TMP/j"
js --pid $$ --guest-mem 1G
ht_eq "--pid of a shell: not a VMM, the options' figures" "$(q '[.vmm.source, .figures.guest_mem_bytes] | @csv')" "\"options\",$G"
ht_ok "... says the VMM was not recognised" grep -q "VMM not recognised" "$HT_TMP/j"
ht_done
