/* SPDX-License-Identifier: GPL-2.0-or-later */
/* PCI devices and IOMMU groups as sysfs shows them; names through libpci. */
#ifndef VP_PCIDEV_H
#define VP_PCIDEV_H

#include <stddef.h>
#include <stdint.h>

#define PCI_NUM_RESOURCES 6   /* BARs 0-5 (the ROM and bridge windows follow in sysfs) */
#define IORESOURCE_IO  0x100ULL
#define IORESOURCE_MEM 0x200ULL

struct pci_bar {
	uint64_t start, end, flags;  /* end inclusive, as sysfs prints it; 0/0 = none */
};

struct pci_dev_info {
	char bdf[16];
	char driver[64];         /* "" when unbound */
	int group;               /* -1 when the device has no IOMMU group */
	unsigned vendor, device;
	uint32_t class_code;     /* 0xCCSSPP */
	char name[160];          /* "Vendor Device" from pci.ids, or "1234:11e8" */
	struct pci_bar bars[PCI_NUM_RESOURCES];
	int vfio_cdev;           /* N of /dev/vfio/devices/vfioN, or -1 */
};

/* Pure: parse the sysfs `resource` file (first PCI_NUM_RESOURCES lines). */
int parse_pci_resource(const char *text, struct pci_bar *bars, size_t nbars);
static inline uint64_t pci_bar_size(const struct pci_bar *b)
{
	return b->end > b->start ? b->end - b->start + 1 : 0;
}

int pcidev_read(const char *bdf, struct pci_dev_info *d);
/* BDFs of group N, sorted; *out malloc()ed array of char[16]. */
int iommu_group_devices(int group, char (**out)[16], size_t *n);
/* Fill name from vendor/device via libpci (pci.ids). */
void pci_name(unsigned vendor, unsigned device, char *buf, size_t size);
void pci_names_release(void);

#endif
