/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a VMM does with each of its vmas (inspect's ROLE column, JSON `role`),
 * and what the host tells about the VMM besides its command line: the sizes of
 * the firmware files it loads, and which vmas are followed by a guard page.
 * Filled by host/vmm-read.c, matched by model/roles.c.
 */
#ifndef VP_FACTS_ROLES_H
#define VP_FACTS_ROLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/vmm.h"

enum vma_role {
	VR_NONE = 0,
	VR_GUEST_RAM,     /* a memory backend (or -m's RAM) of the guest */
	VR_ROM,           /* a RAM block QEMU allocates for firmware: pc.bios, pc.rom, pflash, option ROMs */
	VR_BAR,           /* an mmap of a VFIO device fd (a device BAR) */
	VR_DPDK_MEMSEG,   /* a DPDK EAL memory segment: hugetlbfs <prefix>map_N or memfd seg_L[-S] */
	VR_RAM_BLOCK,     /* a QEMU RAM block (its qemu_ram_mmap layout) the configuration does not name */
};

/* JSON `role` and the ROLE column (an interface: add, never rename); NULL for VR_NONE. */
static inline const char *vma_role_name(enum vma_role r)
{
	switch (r) {
	case VR_GUEST_RAM:    return "guest-ram";
	case VR_ROM:          return "rom";
	case VR_BAR:          return "bar";
	case VR_DPDK_MEMSEG:  return "dpdk-memseg";
	case VR_RAM_BLOCK:    return "ram-block";
	default:              return NULL;
	}
}

#define VMM_MAX_ROMS 16

/* A firmware RAM block QEMU will allocate, and its size as QEMU sizes it. */
struct vmm_rom {
	char name[VMM_ID_MAX];     /* QEMU's RAMBlock name: "pc.bios", "pc.rom", "pflash0", "ID.rom" */
	char path[VMM_PATH_MAX];   /* the file it is loaded from, "" for a fixed-size block */
	uint64_t size;             /* bytes; 0 = unknown (the file could not be read) */
};

/* A VMM as inspect sees it: its configuration and the host facts around it. */
struct vmm_view {
	bool have;                 /* a configuration was read and parsed */
	char why[256];             /* !have, or a ROM of unknown size: why, in words */
	struct vmm_config cfg;
	struct vmm_rom roms[VMM_MAX_ROMS];
	int nroms;
	uint64_t *guards;          /* start addresses of guard-page vmas (anonymous, ---p), ascending */
	size_t nguards;
};

/* The part of VmLck that DMA explains, laid out as "contexts x RAM + ROMs". */
struct vmlck_explained {
	int contexts;              /* DMA contexts from the configuration */
	uint64_t ram_bytes;        /* guest memory from the configuration */
	uint64_t ram_hidden_bytes; /* guest RAM under the ROM windows, never mapped (vmm_ram_hidden) */
	uint64_t rom_bytes;        /* ROM bytes one context maps that this kernel charges (vmm_rom_charge) */
	uint64_t explained_bytes;  /* contexts x (ram - ram_hidden + rom) */
	int64_t figure_bytes;      /* what is explained: VmLck not explained by mlock (or VmPin) */
	bool figure_is_vmpin;      /* iommufd per-user mode: its pins are in VmPin only */
	int64_t diff_bytes;        /* figure - explained: 0 when exact */
	bool exact;
	bool roms_charged;         /* this kernel charges the ROMs' read-only maps (6.2+, or populated) */
	char how[256];             /* vmm_contexts(): which devices, which contexts */
	char rom_how[256];         /* vmm_rom_charge(): which ROMs, charged or not on this kernel */
};

#endif
