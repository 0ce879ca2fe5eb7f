/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PCI devices and IOMMU groups with the viability verdict VFIO applies: a
 * group can be opened only when every member is on a VFIO driver, on
 * pci-stub, unbound, or a bridge.  Shared by `check` and `groups`.
 */
#ifndef VP_CHECK_GROUPS_H
#define VP_CHECK_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "host/pcidev.h"

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
	char type[24];            /* default domain type (sysfs `type`), "" if absent */
	struct pci_entry *members;
	size_t n;
	bool viable;
	size_t noffenders;
};

/* Pure. */
bool driver_is_vfio(const char *driver);
enum member_role member_role(const char *driver, uint32_t class_code);
const char *role_name(enum member_role r);
void group_judge(struct iommu_group *g);

/* BDFs of every PCI device, sorted: live through libudev, under --sysroot from sysfs. */
int pci_enumerate(char (**bdfs)[16], size_t *n);
int pci_entry_read(const char *bdf, struct pci_entry *e);
/* 0, -ENOENT (no such group) or -errno. */
int group_read(int id, struct iommu_group *g);
/* Every group, by number; *n 0 when the IOMMU is off (-ENOENT: no iommu_groups dir). */
int groups_read_all(struct iommu_group **v, size_t *n);
void group_free(struct iommu_group *g);
void groups_free(struct iommu_group *v, size_t n);
/* "Ethernet controller" via libpci, or "0200". */
void pci_class_name(uint32_t class_code, char *buf, size_t size);
/* Vendor or device name alone via libpci ("" when pci.ids lacks it). */
void pci_vendor_name(unsigned vendor, char *buf, size_t size);
void pci_device_name(unsigned vendor, unsigned device, char *buf, size_t size);
void pci_class_names_release(void);
/* Expand "00:03.0" to "0000:00:03.0"; -EINVAL when not a BDF. */
int bdf_normalize(const char *in, char *out, size_t size);

/* `groups` output (render-groups.c). */
enum groups_format { GF_TABLE, GF_RAW, GF_PAIRS, GF_JSON };

struct groups_out {
	enum groups_format fmt;
	bool noheadings, tree;
	const char *columns;      /* -o list, or NULL for the defaults */
	int cols[16];
	int ncols;
};

int groups_columns_parse(struct groups_out *o);
void groups_list_columns(FILE *out);
int render_groups(const struct groups_out *o, const struct iommu_group *v, size_t n, FILE *out);

#endif
