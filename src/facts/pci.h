/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI devices and IOMMU groups as plain facts: host/pci.c and host/iommu.c
 * fill them from sysfs (and names from pci.ids), model/groups.c judges them,
 * render/ and check/ consume them.  No I/O here.
 */
#ifndef VP_FACTS_PCI_H
#define VP_FACTS_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A canonical BDF, "dddd:bb:dd.f" (VMD domains have five hex digits); see lib/util.h bdf_parse(). */
#define BDF_LEN 16

#define PCI_NUM_RESOURCES 6   /* BARs 0-5 (the ROM and bridge windows follow in sysfs) */
#define IORESOURCE_IO  0x100ULL
#define IORESOURCE_MEM 0x200ULL

struct pci_bar {
	uint64_t start, end, flags;  /* end inclusive, as sysfs prints it; 0/0 = none */
};

static inline uint64_t pci_bar_size(const struct pci_bar *b)
{
	return b->end > b->start ? b->end - b->start + 1 : 0;
}

struct pci_dev_info {
	char bdf[BDF_LEN];
	char driver[64];         /* "" when unbound */
	int group;               /* -1 when the device has no IOMMU group */
	unsigned vendor, device;
	uint32_t class_code;     /* 0xCCSSPP */
	/*
	 * Names from pci.ids, numeric where it has none, the way lspci words it
	 * (host/pci.c pci_names() is the one place that decides):
	 * name "Intel Corporation 82574L ..." / "Device 1234:11e8",
	 * vendor_name "Vendor 1234", device_name "Device 11e8", class_name "Class 00ff".
	 */
	char name[160];
	char vendor_name[96];
	char device_name[128];
	char class_name[64];
	struct pci_bar bars[PCI_NUM_RESOURCES];
	int vfio_cdev;           /* N of /dev/vfio/devices/vfioN, or -1 */
};

enum member_role {
	ROLE_VFIO,      /* vfio-pci or a vfio-pci variant driver */
	ROLE_STUB,      /* pci-stub: claims no DMA */
	ROLE_BRIDGE,    /* PCI-PCI bridge (pcieport): allowed by VFIO */
	ROLE_UNBOUND,   /* no driver */
	ROLE_HOST,      /* a host driver that does DMA: the group is not viable */
};

struct pci_entry {
	struct pci_dev_info info;
	enum member_role role;
	bool is_pci;    /* false: a non-PCI group member (name in info.bdf) */
};

struct iommu_group {
	int id;
	char type[24];            /* default domain type (sysfs `type`, 5.11+), "" if absent */
	char node[24];            /* "/dev/vfio/N" when the node exists, else "" */
	struct pci_entry *members;
	size_t n;
	bool viable;
	size_t noffenders;
};

/* What /sys/kernel/iommu_groups says as a whole (check's iommu_enabled). */
struct iommu_summary {
	int ngroups;              /* 0: the IOMMU is off (or the directory is absent) */
	char types[160];          /* "DMA-FQ x5, identity x1"; "" before 5.11 */
};

#endif
