#!/bin/bash
# Install the Debian packages that building and testing vfio-pinctl need.
# Idempotent: does nothing when everything is already there.
set -euo pipefail
pkgs=(build-essential pkg-config
      libsmartcols-dev libpci-dev libkmod-dev libcap-dev libcmocka-dev libxml2-dev
      jq xz-utils cpio kmod busybox-static qemu-system-x86 mandoc hyperfine time
      bash-completion prometheus clang libclang-rt-14-dev cppcheck
      # the iommufd test kernels are built from linux-source (tests/vm/build-kernel.sh)
      gcc make flex bison bc libelf-dev libc6-dev
      # the Debian package, its units, the fleet tests (scrape, hook, progress), the demo's pci.ids
      dpkg-dev debhelper lintian systemd prometheus-node-exporter curl libxml2-utils bsdutils
      pci.ids
      # the pfn-taxonomy guest test: ndctl configures the pmem namespaces, mkfs.ext4 the dax and writeback filesystems
      ndctl e2fsprogs
      # the real-client guest tests: qemu-system-x86 (above) nested in the guest; DPDK's dpdk-testpmd (dpdk-dev) with its e1000 PMD
      dpdk-dev librte-net-e1000-23)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages and not root; run: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
