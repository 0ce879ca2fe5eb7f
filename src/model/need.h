/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The memlock need of a VFIO guest and the DMA mappings it takes, from the
 * kernel's accounting rules (kernel-semantics notes, sections 1.4, 1.5, 2.2).
 * Pure: plain numbers in, plain numbers and a one-line explanation out.
 */
#ifndef VP_NEED_H
#define VP_NEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "facts/kver.h"

enum need_backend {
	NEED_TYPE1,        /* vfio_iommu_type1 container: charges mm->locked_vm */
	NEED_IOMMUFD,      /* iommufd per-mm: the compat container, or /dev/iommu set to per-mm */
	NEED_IOMMUFD_USER, /* iommufd per-user, /dev/iommu's default: the uid's locked memory */
};

struct need_in {
	uint64_t guest_mem;      /* bytes of guest RAM */
	unsigned ndevices;       /* VFIO devices given to the guest */
	bool viommu;             /* the guest has a vIOMMU (one DMA context per device) */
	enum need_backend backend;
	uint64_t bar_bytes;      /* sum of the devices' MMIO BAR sizes */
	uint64_t granularity;    /* bytes per DMA mapping the VMM makes, 0 = per RAM region */
	unsigned contexts;       /* read from the VMM (model/vmm-limit.c), 0 = from viommu/ndevices */
	uint64_t rom_bytes;      /* ROM/firmware bytes this kernel charges per context (vmm_rom_charge) */
	uint64_t ram_hidden;     /* guest RAM per context the ROM windows keep unmapped (vmm_ram_hidden) */
	uint64_t rom_at_realize; /* ROM bytes charged per context while RAM is mapped whole (vmm_rom_charge_at_realize) */
	bool kv_known;           /* the kernel release is known (rules that changed with 6.2) */
	struct kver kv;
	uint64_t memseg_size;    /* a DPDK client: one DMA mapping per memseg of this size, 0 = not DPDK */
};

struct need_out {
	unsigned contexts;       /* containers / IOAS that each charge guest RAM */
	uint64_t ram_charge;     /* (guest_mem - ram_hidden) x contexts */
	uint64_t rom_charge;     /* rom_bytes x contexts */
	uint64_t bar_charge;     /* BAR bytes charged: 0, type1 maps BARs free and iommufd refuses them */
	uint64_t bar_refused;    /* BAR bytes iommufd refuses to map (EFAULT): no peer-to-peer DMA to them */
	uint64_t pin_total;      /* what VmPin grows by: iommufd pins it all there too; 0 under type1 */
	const char *counter;     /* what the limit is checked against: "VmLck" or "user" (the uid's, unseen) */
	uint64_t realize_peak;   /* (guest_mem + rom_at_realize) x contexts: the charge at vfio-pci realize, 0 = not a QEMU */
	uint64_t total;          /* max(ram_charge + rom_charge + bar_charge, realize_peak): compare with RLIMIT_MEMLOCK */
	uint64_t dma_entries;    /* vfio_dma entries one container needs */
	bool dma_worst_case;     /* dma_entries is a worst case (vIOMMU), not an estimate */
	bool dma_by_memory;      /* dma_entries follows from the memory size (chunks, memsegs, vIOMMU) */
	char how[480];           /* how total was computed, for the finding */
	char dma_how[200];       /* how dma_entries was computed */
};

void need_compute(const struct need_in *in, struct need_out *out);

/*
 * What the page rules of type1 leave uncharged, said for this kernel: no BAR
 * (PFNMAP) or reserved page ever; the shared zero page only before 6.2.
 */
const char *need_uncharged_text(bool kv_known, const struct kver *kv);

#endif
