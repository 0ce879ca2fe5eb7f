#!/bin/bash
# examples/libvirt-hook-qemu fed the way libvirt runs /etc/libvirt/hooks/qemu (argv GUEST
# OPERATION SUB-OPERATION -, the domain XML on stdin), with check reading captured trees
# (--sysroot, the replay fixtures): good guests start, guests that cannot map are refused
# with the reason on stderr, and everything but "prepare begin" passes untouched.
cd "$(dirname "$0")/../.." || exit 1
. tests/host/lib.sh
for t in xmllint jq; do
	command -v $t >/dev/null || { echo "not ok - $t is missing (libxml2-utils, jq; tests/install-deps.sh)"; exit 1; }
done
HOOK=$PWD/examples/libvirt-hook-qemu
for fx in check-healthy check-iommu-off check-not-viable check-memlock-short; do
	mkdir -p "$HT_TMP/$fx" && tar -xzf "tests/fixtures/$fx/tree.tar.gz" -C "$HT_TMP/$fx"
done

# dom [MEMORY-ELEMENT] [EXTRA-DOMAIN-XML] [HOSTDEVS]: a domain XML like libvirt's
dom() {
	local mem=${1:-"<memory unit='KiB'>4194304</memory>"} extra=${2:-} devs
	devs=${3-"<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></source></hostdev>"}
	cat <<XML
<domain type='kvm'>
  <name>vm1</name>
  <uuid>6c4b7e52-0000-4000-8000-000000000001</uuid>
  $mem
  <currentMemory unit='KiB'>4194304</currentMemory>
  <vcpu placement='static'>2</vcpu>
  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
  $extra
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    $devs
  </devices>
</domain>
XML
}

# hook TREE DESC WANT-RC [ARGV...] < XML: runs the hook, leaves its stderr in $HT_TMP/err
hook() {
	local tree=$1 desc=$2 want=$3; shift 3
	[ $# -gt 0 ] || set -- vm1 prepare begin -
	VFIO_PINCTL="$BIN --sysroot $HT_TMP/$tree" sh "$HOOK" "$@" >"$HT_TMP/out" 2>"$HT_TMP/err"
	ht_eq "$desc: exit $want" "$?" "$want"
}
err_has() { ht_ok "$1" grep -q -- "$2" "$HT_TMP/err"; }

hook check-healthy "healthy host, 4 GiB guest with one vfio-pci device" 0 < <(dom)
ht_eq "... says nothing" "$(cat "$HT_TMP/err")" ""
hook check-healthy "4 GiB in 2M pages (default unit KiB), 2048 free" 0 < <(dom "<memory>4194304</memory>" "<memoryBacking><hugepages/></memoryBacking>")
hook check-healthy "5 GiB in 2M pages, 2048 free" 1 < <(dom "<memory unit='G'>5</memory>" "<memoryBacking><hugepages><page size='2048' unit='KiB'/></hugepages></memoryBacking>")
err_has "... refused for the huge pages" "^  hugepages: a 5G guest needs 2560 pages of 2048kB; 2048 free"
err_has "... with the fix" "fix: reserve more"
err_has "... naming the guest" "^vfio-pinctl hook: vm1: refusing to start"
hook check-healthy "8 GiB without huge pages: the pool does not matter" 0 < <(dom "<memory unit='GiB'>8</memory>")
hook check-healthy "hard_limit 2 GiB under a 4 GiB guest" 1 < <(dom "" "<memtune><hard_limit unit='KiB'>2097152</hard_limit></memtune>")
err_has "... refused for memlock, with libvirt's limit and check's need" "memlock: QEMU's limit will be 2147483648 bytes (<memtune><hard_limit>), below the 4294967296 bytes"
err_has "... and the fix in KiB" "hard_limit> to at least 4194304 KiB"
hook check-healthy "hard_limit 5 GB (decimal) over a 4 GiB guest" 0 < <(dom "" "<memtune><hard_limit unit='GB'>5</hard_limit></memtune>")
hook check-healthy "hard_limit wins over <locked/> (libvirt's order)" 1 < <(dom "" "<memtune><hard_limit>1048576</hard_limit></memtune><memoryBacking><locked/></memoryBacking>")
hook check-healthy "<locked/>: unlimited" 0 < <(dom "" "<memoryBacking><locked/></memoryBacking>")
hook check-iommu-off "host without IOMMU" 1 < <(dom)
err_has "... refused for iommu_enabled" "^  iommu_enabled: "
two="<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></source></hostdev>
<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></source></hostdev>"
hook check-not-viable "a GPU whose audio function stays on snd_hda_intel" 1 < <(dom "" "" "$two")
err_has "... refused for its group" "^  group_viable\[7\]: group 7 not viable"
# vIOMMU: one DMA context per device, each charging all of RAM (2 x 4 GiB), against a
# hard_limit sized for one (the kubevirt#18915 / harvester#3735 failure)
hook check-not-viable "vIOMMU, 2 devices, hard_limit 5 GiB" 1 < <(dom "" "<memtune><hard_limit unit='GiB'>5</hard_limit></memtune>" "$two
<iommu model='intel'><driver intremap='on'/></iommu>")
err_has "... refused for memlock: 2 contexts x 4 GiB" "memlock: QEMU's limit will be 5368709120 bytes (<memtune><hard_limit>), below the 8589934592 bytes"
hook check-healthy "vIOMMU, 1 device, no hard_limit: libvirt's rule (1 x RAM + 1 GiB)" 0 < <(dom "" "" "$(printf '%s\n%s' "<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x0000' bus='0x00' slot='0x03' function='0x0'/></source></hostdev>" "<iommu model='intel'/>")")
one_host="<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x00' slot='0x02' function='0x0'/></source></hostdev>"
hook check-healthy "a managed device still on its host driver (libvirt binds it after this hook)" 0 < <(dom "" "" "$one_host")
hook check-healthy "no hostdev: nothing to check" 0 < <(dom "" "" "")
VFIO_PINCTL="touch $HT_TMP/ran" sh "$HOOK" vm1 prepare begin - < <(dom "" "" "") 2>/dev/null
ht_ok "... and check is not even run" test ! -e "$HT_TMP/ran"
for op in "start begin" "started begin" "stopped end" "release end" "migrate begin"; do
	# shellcheck disable=SC2086
	VFIO_PINCTL="touch $HT_TMP/ran" sh "$HOOK" vm1 $op - < <(dom) >/dev/null 2>&1
	ht_eq "operation '$op': exit 0" "$?" 0
done
ht_ok "... and check never ran" test ! -e "$HT_TMP/ran"
hook check-healthy "truncated XML" 1 < <(echo '<domain><name>vm1</name><memory>oops')
err_has "... refused: it does not parse" "does not parse"
hook check-healthy "an impossible <memory> unit" 1 < <(dom "<memory unit='parsecs'>4</memory>")
err_has "... refused, naming <memory>" "<memory> is not a size"
VFIO_PINCTL="$BIN --sysroot $HT_TMP/no-such-tree" sh "$HOOK" vm1 prepare begin - 2>"$HT_TMP/err" < <(dom)
ht_eq "check cannot run: the start goes ahead" "$?" 0
err_has "... with a warning" "check could not run (exit 3), starting anyway"
ht_done
