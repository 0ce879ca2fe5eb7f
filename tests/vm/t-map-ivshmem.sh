# vm-args: --ivshmem 4M --bind 0000:00:03.0,0000:00:04.0 --append no_timer_check
# vm-kernels: 6.1 6.12 iommufd
# BARs of another device: ivshmem's 4 MiB BAR2 (64-bit, prefetchable); `bar`
# picks the first mmappable BAR of a page or more; BAR0 (256 bytes of
# registers) is mmappable as the page vfio-pci reserves for it, and is mapped
# as that page when asked for by name.
. /vmtest/lib.sh
VT_LOG_LINES=8

IVS=0000:00:04.0
vt_eq "ivshmem at $IVS" "$(cat /sys/bus/pci/devices/$IVS/device)" 0x1110
vt_eq "ivshmem bound to vfio-pci" "$(vt_driver_of $IVS)" vfio-pci

vt_run bar2 vfio-pinctl map --json --device $IVS --type bar2 --type anon:1M
vt_eq "bar2: exit 0" "$VT_RC" 0
vt_jq "bar2: 4M PFNMAP, invalid pfns, free" /tmp/bar2.out \
	'.regions[0].type == "bar2" and .regions[0].size_bytes == 4194304 and .regions[0].classes.invalid_bytes == 4194304 and .regions[0].measured_charge_bytes == 0 and .regions[0].agree'
vt_run bar vfio-pinctl map --json --device $IVS --type bar
vt_eq "bar: exit 0" "$VT_RC" 0
vt_jq "bar: picks BAR2 (BAR0 is smaller than a page)" /tmp/bar.out '.regions[0].type == "bar2"'
vt_run bar0 vfio-pinctl map --json --device $IVS --type bar0
vt_eq "bar0 of ivshmem (256 bytes): exit 0" "$VT_RC" 0
vt_jq "bar0: mapped as its 4K page, free" /tmp/bar0.out \
	'.regions[0].size_bytes == 4096 and .regions[0].measured_charge_bytes == 0 and .regions[0].agree and .regions[0].classes.invalid_bytes == 4096'
vt_run part vfio-pinctl map --json --device $IVS --type bar2:64K --repeat 3
vt_eq "a 64K slice of bar2 three times: exit 0" "$VT_RC" 0
vt_jq "bar2:64K x3: free each time" /tmp/part.out '[.regions[].measured_charge_bytes] == [0,0,0]'
vt_done
