/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /sys/kernel/iommu_groups: the one walk of it (iommu_group_ids()), a group's
 * members, and whole groups with the viability verdict of model/groups.c.
 */
#ifndef VP_HOST_IOMMU_H
#define VP_HOST_IOMMU_H

#include <stddef.h>

#include "facts/pci.h"

/* Group numbers, sorted; -ENOENT when there is no iommu_groups directory.  *ids malloc()ed. */
int iommu_group_ids(int **ids, size_t *n);
/* Member names of group N (BDFs, or a non-PCI device's name), sorted; *out malloc()ed. */
int iommu_group_devices(int group, char (**out)[BDF_LEN], size_t *n);
/* 0, -ENOENT (no such group) or -errno. */
int group_read(int id, struct iommu_group *g);
/* Every group, by number; -ENOENT: no iommu_groups dir; *n 0 when the IOMMU is off. */
int groups_read_all(struct iommu_group **v, size_t *n);
void group_free(struct iommu_group *g);
void groups_free(struct iommu_group *v, size_t n);
/* Group count and default domain types; a missing directory is 0 groups. */
int iommu_summary_read(struct iommu_summary *s);

#endif
