/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IOMMU group viability, the kernel's rule in one place (pure): which role
 * each member plays, whether VFIO will let the group be used, and the words
 * that explain why not.  map (after VFIO_GROUP_GET_STATUS says "not viable")
 * and check/groups (before anything is opened) both ask here.
 */
#ifndef VP_MODEL_GROUPS_H
#define VP_MODEL_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/pci.h"

/*
 * The kernel changed the rule in 5.19 (Lu Baolu's DMA ownership series,
 * commits 1ea2a07a532b "iommu: Add DMA ownership management interfaces" to
 * 31076af0cb00 "vfio: Remove use of vfio_group_viable()"):
 *
 * GROUP_RULE_DMA_OWNER (5.19+): VFIO_GROUP_GET_STATUS sets
 *   VFIO_GROUP_FLAGS_VIABLE when !iommu_group_dma_owner_claimed()
 *   (drivers/vfio/group.c).  A driver claims DMA ownership at probe, in
 *   pci_dma_configure() -> iommu_device_use_default_domain(), unless it sets
 *   driver_managed_dma: the VFIO drivers (vfio-pci and every variant driver),
 *   pci-stub (18c7a349d072) and pcieport (c7d469849747).  So an unbound
 *   device is fine, a bridge on pcieport is fine, a bridge on shpchp is not.
 * GROUP_RULE_ALLOWLIST (before 5.19): vfio_dev_viable() in
 *   drivers/vfio/vfio.c accepted an unbound device, a device VFIO had
 *   registered, a driver on vfio_driver_allowed[] = { "pci-stub" }, and any
 *   PCI device whose header type is not normal (a bridge) whatever its driver
 *   (vfio_dev_driver_allowed()).
 */
enum group_rule {
	GROUP_RULE_DMA_OWNER,
	GROUP_RULE_ALLOWLIST,
};

/* The rule of a kernel release ("6.1.0-56-amd64"); the 5.19+ rule when it cannot be parsed. */
enum group_rule group_rule_for(const char *release);
/* vfio-pci or a variant driver (mlx5_vfio_pci, hisi_acc_vfio_pci, xe-vfio-pci, ...). */
bool driver_is_vfio(const char *driver);
/* driver "" = unbound; class_code 0xCCSSPP. */
enum member_role member_role(const char *driver, uint32_t class_code, enum group_rule rule);
/* A group member that is not a PCI device (a platform device): only VFIO drivers and none. */
enum member_role other_member_role(const char *driver);
const char *role_name(enum member_role r);
/* Set viable and noffenders from the members' roles. */
void group_judge(struct iommu_group *g);

/* Why a group is or is not viable, in words map and check share. */
struct group_why {
	size_t noffenders;
	const struct pci_entry *first;   /* the first member that blocks the group, NULL if none */
	char offenders[512];   /* "0000:01:00.1 (Audio device name) is bound to snd_hda_intel, ..." */
	char members[512];     /* "0000:00:1c.0 [pcieport], 0000:01:00.0 [vfio-pci], ..." */
	char roles[512];       /* "0000:00:1c.0 (bridge), 0000:01:00.0 (vfio), ..." */
	char rebind[512];      /* "driverctl set-override 0000:01:00.1 vfio-pci; ..." */
};
void group_explain(const struct iommu_group *g, struct group_why *w);
/*
 * map's error line for a group VFIO_GROUP_GET_STATUS calls not viable: the
 * culprits by the rule above (never a variant driver, pci-stub or a bridge on
 * pcieport), the members, and the command that unbinds the first culprit.
 */
void group_not_viable_line(const struct iommu_group *g, char *buf, size_t size);

#endif
