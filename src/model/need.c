// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/need.h"
#include "lib/util.h"

/*
 * Fixed mappings a VMM makes besides guest RAM: QEMU maps every RAM-backed
 * MemoryRegionSection of the address space (the guest RAM below and above
 * the PCI hole, firmware and option ROMs, VGA RAM).  Estimated, not counted.
 */
#define RAM_REGIONS      2
#define FIRMWARE_REGIONS 4
/* Type1 also maps each device's mmap-able BARs for peer-to-peer DMA. */
#define BARS_PER_DEVICE  6

static uint64_t div_round_up(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

static void __attribute__((format(printf, 3, 4))) append(char *buf, size_t size, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

/*
 * Under iommufd: which counter, VmPin besides, and the BARs it refuses
 * (kernel-semantics notes 2.1, 2.2; measured on our 6.12: EFAULT).
 */
static void iommufd_how(const struct need_in *in, struct need_out *out)
{
	char bars[32];

	if (in->backend == NEED_IOMMUFD_USER)
		append(out->how, sizeof(out->how), ", charged to the uid's locked memory (iommufd per-user: one budget for all the uid's processes, so add its other guests; no /proc file shows it)");
	else
		append(out->how, sizeof(out->how), ", charged to VmLck (iommufd per-mm)");
	append(out->how, sizeof(out->how), "; VmPin grows by as much");
	if (!in->bar_bytes)
		return;
	format_size(bars, sizeof(bars), in->bar_bytes);
	append(out->how, sizeof(out->how), "; BARs %s refused by iommufd (EFAULT: no peer-to-peer DMA to them), not charged",
	       bars);
}

static void compute_charge(const struct need_in *in, struct need_out *out)
{
	bool iommufd = in->backend != NEED_TYPE1;
	char ram[32], total[32];
	uint64_t final;

	/*
	 * Type1 and iommufd charge per container/IOAS: the same RAM mapped
	 * into two contexts is charged twice.  Without a vIOMMU a VMM puts all
	 * devices of a guest into one context; with one, each device gets its
	 * own address space and so its own context (libvirt >= 8.7 counts the
	 * same: N x guest RAM).
	 */
	out->contexts = in->contexts ? in->contexts : in->viommu && in->ndevices > 1 ? in->ndevices : 1;
	/* RAM under the x86 ROM windows is not mapped (model/vmm-check.c) */
	out->ram_charge = (in->guest_mem > in->ram_hidden ? in->guest_mem - in->ram_hidden : 0) * out->contexts;
	/* each context maps every RAM section of the address space, the ROMs too */
	out->rom_charge = in->rom_bytes * out->contexts;
	/*
	 * Type1 maps BAR (PFNMAP) pages without charging them (no struct
	 * page); iommufd pins with GUP, which refuses them: EFAULT, so a VMM
	 * maps no BAR for peer-to-peer DMA and nothing is charged either way.
	 */
	out->bar_charge = 0;
	out->bar_refused = iommufd ? in->bar_bytes : 0;
	out->pin_total = iommufd ? out->ram_charge : 0;
	out->counter = in->backend == NEED_IOMMUFD_USER ? "user" : "VmLck";
	out->total = out->ram_charge + out->rom_charge + out->bar_charge;
	/*
	 * QEMU maps RAM whole first, the ROM windows split it later
	 * (model/vmm-check.c, vmm_rom_charge_at_realize): the limit must cover
	 * that peak too, which on 6.1 is above the final charge.
	 */
	out->realize_peak = in->ram_hidden ? (in->guest_mem + in->rom_at_realize) * out->contexts : 0;
	final = out->total;
	if (out->realize_peak > out->total)
		out->total = out->realize_peak;

	format_size(ram, sizeof(ram), in->guest_mem);
	format_size_exact(total, sizeof(total), out->total);
	if (out->contexts > 1)
		snprintf(out->how, sizeof(out->how),
			 "%s = guest RAM %s x %u contexts (%s each charges all RAM)",
			 total, ram, out->contexts,
			 in->contexts ? "read from the VMM:" : "vIOMMU: one per device,");
	else
		snprintf(out->how, sizeof(out->how), "%s = guest RAM %s x 1 context", total, ram);
	if (in->ram_hidden) {
		char h[32];

		format_size_exact(h, sizeof(h), in->ram_hidden);
		append(out->how, sizeof(out->how), " - %s under the ROM windows x %u", h, out->contexts);
	}
	if (in->rom_bytes) {
		char rom[32];

		format_size_exact(rom, sizeof(rom), in->rom_bytes);
		append(out->how, sizeof(out->how), " + ROMs %s x %u", rom, out->contexts);
	}
	if (out->realize_peak > final) {
		char fin[32];

		format_size_exact(fin, sizeof(fin), final);
		append(out->how, sizeof(out->how),
		       " (finally %s; the need is the peak at vfio-pci realize, RAM mapped whole before the ROM windows split it)",
		       fin);
	}
	if (iommufd)
		iommufd_how(in, out);
	else
		append(out->how, sizeof(out->how), "; %s", need_uncharged_text(in->kv_known, &in->kv));
}

const char *need_uncharged_text(bool kv_known, const struct kver *kv)
{
	/*
	 * gup_must_unshare() (mm/gup.c, "mm/gup: reliable R/O long-term
	 * pinning in COW mappings", 6.2): a FOLL_LONGTERM read-only pin of the
	 * shared zero page in a private mapping unshares it into a fresh
	 * anonymous page, which is pinned and charged.  Before 6.2 the zero
	 * page itself was pinned: PG_reserved, never charged.
	 */
	if (!kv_known)
		return "type1 charges no BAR or reserved page; an untouched page mapped read-only is charged from 6.2 on (a fresh page), not before (the zero page)";
	if (kver_cmp(kv, 6, 2) >= 0)
		return "type1 charges no BAR or reserved page; since 6.2 an untouched page mapped read-only is a fresh page, charged";
	return "type1 charges no BAR, reserved or zero page (before 6.2 an untouched page mapped read-only is the shared zero page)";
}

static void compute_dma(const struct need_in *in, struct need_out *out)
{
	uint64_t fixed = FIRMWARE_REGIONS + (uint64_t)BARS_PER_DEVICE * in->ndevices;
	char g[32];

	out->dma_worst_case = false;
	out->dma_by_memory = in->memseg_size || in->granularity || in->viommu;
	if (in->memseg_size) {
		/*
		 * DPDK EAL maps its memory itself, one MAP_DMA per memseg (one
		 * hugepage; lib/eal/linux/eal_vfio.c type1_map over
		 * rte_memseg_walk) and nothing else: no firmware, no BARs.
		 */
		out->dma_entries = div_round_up(in->guest_mem, in->memseg_size);
		format_size(g, sizeof(g), in->memseg_size);
		snprintf(out->dma_how, sizeof(out->dma_how),
			 "DPDK: one mapping per %s memseg of its hugepage memory", g);
	} else if (in->granularity) {
		out->dma_entries = div_round_up(in->guest_mem, in->granularity) + fixed;
		format_size(g, sizeof(g), in->granularity);
		snprintf(out->dma_how, sizeof(out->dma_how),
			 "guest RAM in %s mappings + %llu firmware/BAR mappings", g,
			 (unsigned long long)fixed);
	} else if (in->viommu) {
		/*
		 * With a vIOMMU the VMM replays the guest's own IOMMU mappings,
		 * which may be as small as one 4K page each.
		 */
		out->dma_worst_case = true;
		out->dma_entries = div_round_up(in->guest_mem, PAGE_4K) + fixed;
		snprintf(out->dma_how, sizeof(out->dma_how),
			 "worst case with a vIOMMU: every guest 4K page mapped on its own");
	} else {
		out->dma_entries = RAM_REGIONS + fixed;
		snprintf(out->dma_how, sizeof(out->dma_how),
			 "%d RAM regions + %d firmware + %d BARs per device (estimate)",
			 RAM_REGIONS, FIRMWARE_REGIONS, BARS_PER_DEVICE);
	}
}

void need_compute(const struct need_in *in, struct need_out *out)
{
	memset(out, 0, sizeof(*out));
	compute_charge(in, out);
	compute_dma(in, out);
}
