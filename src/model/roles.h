/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Roles of a VMM's vmas (pure): which vma is guest RAM, a firmware ROM, a
 * device BAR, a DPDK memory segment, matched against the VMM's own
 * configuration; and the DMA part of VmLck laid out as contexts x (RAM + ROMs).
 */
#ifndef VP_MODEL_ROLES_H
#define VP_MODEL_ROLES_H

#include <stdbool.h>
#include <stdint.h>

#include "facts/roles.h"
#include "facts/vma.h"

/* What the caller already knows of a vma (from its VmFlags and path). */
struct vma_traits {
	bool vfio_device;   /* an mmap of a VFIO device fd (anon_inode:[vfio-device], a cdev) */
	bool hugetlb;       /* VmFlags ht */
	bool dontcopy;      /* VmFlags dc: MADV_DONTFORK, which QEMU sets on every RAM block */
	bool has_vmflags;   /* smaps gave VmFlags (else dontcopy is not required) */
};

struct role_matcher {
	const struct vmm_view *vw;
	bool backend_used[VMM_MAX_BACKENDS];
	bool ram_used;                 /* -m's RAM block (no backend names the RAM) */
	bool rom_used[VMM_MAX_ROMS];
};

/* A guard page as qemu_ram_mmap leaves one: anonymous, PROT_NONE, private. */
bool vma_is_guard(const struct vma *v);
/* A vma directly followed by a guard page (the view's guard list). */
bool vmm_view_guarded(const struct vmm_view *vw, const struct vma *v);

/* vw may be NULL or !have: then only bar is told.  Roles are matched in address order. */
void roles_begin(struct role_matcher *m, const struct vmm_view *vw);
enum vma_role role_of_vma(struct role_matcher *m, const struct vma *v, const struct vma_traits *t);

/*
 * figure = VmLck not explained by mlock (or VmPin).  Explained = contexts x
 * (RAM - ram_hidden + rom_charge), the two terms being check's own rule
 * (model/vmm-check.c: vmm_ram_hidden, vmm_rom_charge for this kernel), so
 * that inspect's explanation and check's need cannot disagree.
 */
void vmlck_explain(const struct vmm_config *c, uint64_t ram_hidden, uint64_t rom_charge,
		   int64_t figure, struct vmlck_explained *e);

#endif
