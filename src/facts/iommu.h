/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The platform's IOMMU as firmware, sysfs and /proc show it (host/platform.c). */
#ifndef VP_FACTS_IOMMU_H
#define VP_FACTS_IOMMU_H

#include <stdbool.h>

struct iommu_facts {
	bool dmar, ivrs;           /* ACPI tables */
	char units[160];           /* /sys/class/iommu entries: "dmar0 dmar1" */
	int nunits;
	char types[160];           /* "DMA-FQ x5, identity x1" ("" before 5.11) */
	int groups_rc;             /* 0, or -errno reading /sys/kernel/iommu_groups */
	int ngroups;               /* IOMMU groups, -1 unknown */
	bool intel, amd;           /* CPU vendor */
	bool noiommu;              /* vfio enable_unsafe_noiommu_mode=Y */
	int interrupts_rc;         /* 0, or -errno reading /proc/interrupts */
	bool ir;                   /* IR- irq chips in /proc/interrupts */
	int unsafe_type1;          /* vfio_iommu_type1 allow_unsafe_interrupts: 1, 0, -errno */
	int unsafe_iommufd;        /* iommufd allow_unsafe_interrupts */
};

#endif
