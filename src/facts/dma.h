/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a DMA map is charged to and by which kernel rule, and what a backend
 * learned when it opened (IOVA ranges, page sizes, BARs): the facts that
 * map/ gathers and model/predict.c and render/ read.
 */
#ifndef VP_FACTS_DMA_H
#define VP_FACTS_DMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The counter a pin is charged to. */
enum charge_counter {
	CNT_VMLCK,   /* mm->locked_vm (VmLck): type1; iommufd per-mm and compat without CAP_IPC_LOCK */
	CNT_VMPIN,   /* mm->pinned_vm (VmPin): iommufd, every mode */
	CNT_USER,    /* user_struct->locked_vm of the mapping uid: iommufd per-user without
		      * CAP_IPC_LOCK; shared by all the uid's processes, shown by no /proc file */
	CNT_NR,
};

/* Which kernel charge rule predict.c applies (see predict.h). */
enum charge_rule {
	RULE_TYPE1,          /* vfio_iommu_type1: per 4K page, per mapping, locked_vm, CAP_IPC_LOCK bypasses the limit */
	RULE_IOMMUFD_USER,   /* /dev/iommu, default mode: VmPin, and the uid's locked_vm without CAP_IPC_LOCK */
	RULE_IOMMUFD_MM,     /* /dev/iommu, IOMMU_OPTION_RLIMIT_MODE=1: VmPin, and VmLck without CAP_IPC_LOCK */
	RULE_IOMMUFD_COMPAT, /* /dev/vfio/vfio served by iommufd: always per-mm, like RULE_IOMMUFD_MM */
};

/* VFIO_DMA_MAP_FLAG_READ / _WRITE, as the device sees them. */
#define BE_MAP_READ  0x1u
#define BE_MAP_WRITE 0x2u

#define BE_MAX_RANGES 16

struct iova_range {
	uint64_t start, end;   /* inclusive, as VFIO reports them */
};

/* What the backend learned when it opened, for the report and the IOVA allocator. */
struct backend_info {
	uint64_t pgsizes;                       /* IOMMU page sizes bitmap */
	struct iova_range ranges[BE_MAX_RANGES]; /* usable IOVA ranges (reserved ones excluded) */
	size_t nranges;
	bool ranges_known;                      /* false: kernel gave no IOVA range cap */
	bool has_dma_avail;
	uint32_t dma_avail;                     /* mappings left before ENOSPC (dma_entry_limit) */
};

/* A device BAR that can be mmap()ed through the device fd. */
struct backend_bar {
	int index;
	uint64_t size;        /* region size VFIO reports */
	uint64_t offset;      /* mmap offset on the device fd */
	bool mmap;            /* VFIO_REGION_INFO_FLAG_MMAP */
};

#endif
