#!/bin/bash
# taxonomy-files.sh 6.1|6.12 — the run-guest.sh --file arguments the pfn-taxonomy
# guest tests (t-map-taxonomy.sh, t-map-movable.sh) need, one argument a line:
# the kernel's pmem/dax/vgem/brd/ext4 modules (fetch-modules.sh) as
# /lib/modules/extra, ndctl (Debian's ndctl package) and mkfs.ext4 (e2fsprogs)
# with their libraries, and the memproc helper. Used from their vm-args header.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "taxonomy-files: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: taxonomy-files.sh 6.1|6.12"
kdir=$("$here/fetch-kernel.sh" "$1") || die "no $1 kernel"
mods=$("$here/fetch-modules.sh" "$kdir" nd_e820 nd_pmem dax_pmem device_dax vgem brd crc32c_generic ext4) ||
	die "cannot fetch the extra modules of $kdir"
ndctl=$(command -v ndctl) || die "ndctl is missing: run tests/install-deps.sh (Debian package ndctl)"
mkfs=$(command -v mkfs.ext4) || die "mkfs.ext4 is missing: run tests/install-deps.sh (Debian package e2fsprogs)"
[ -x "$here/../host/memproc" ] || die "tests/host/memproc is not built: make tests/host/memproc"
printf '%s\n' --file "$mods:/lib/modules/extra" --file "$ndctl:/usr/bin/ndctl" \
	--file "$mkfs:/usr/sbin/mkfs.ext4" --file "$here/../host/memproc:/usr/bin/memproc"
