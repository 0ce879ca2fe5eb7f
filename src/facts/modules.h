/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Kernel modules and their parameters as host/modules.c finds them. */
#ifndef VP_FACTS_MODULES_H
#define VP_FACTS_MODULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a kernel module stands. */
enum mod_state { MOD_MISSING, MOD_AVAILABLE, MOD_LOADED, MOD_BUILTIN, MOD_UNKNOWN };

struct mod_info {
	const char *name;          /* as /sys/module spells it: vfio_pci */
	enum mod_state state;
	char path[256];            /* .ko of an available module */
	bool looked_up;            /* the module tree was searched (false: a tree without /lib/modules) */
};

/* One "options vfio-pci ... ids=..." line of modprobe.d. */
struct modprobe_ids {
	char ids[128];
	char from[300];            /* the file */
};

/* The module parameters module_params judges: 1 Y, 0 N, -errno unreadable (not loaded). */
struct module_params {
	int disable_hugepages;          /* vfio_iommu_type1 */
	int allow_unsafe_interrupts;    /* vfio_iommu_type1 */
	int noiommu;                    /* vfio enable_unsafe_noiommu_mode */
	bool have_dma_limit;
	uint64_t dma_entry_limit;       /* vfio_iommu_type1 */
	struct modprobe_ids ids[8];     /* modprobe.d, in directory order */
	size_t nids;
};

#endif
